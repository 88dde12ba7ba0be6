package modelfile

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/latentgo/latent/internal/fileio"
	"github.com/latentgo/latent/internal/version"
)

// MaxFileSize is the largest model file Load reads (J-07). The largest model
// latent writes, a 784-400-20 VAE, takes about 30 MB.
const MaxFileSize = 256 << 20

// ErrKind is wrapped when a file holds another kind of model than asked for.
var ErrKind = errors.New("wrong kind of model file")

// ErrNewerVersion is wrapped when a file's schema version is newer than the
// one this latent reads.
var ErrNewerVersion = errors.New("model file written by a newer latent")

// Header is the envelope without its body.
type Header struct {
	Format   string `json:"format"`
	Version  int    `json:"version"`
	Producer string `json:"producer"`
	// Created is read from files written before latent stopped stamping
	// them; new files leave it out (see the package doc).
	Created time.Time `json:"created,omitzero"`
}

// Kind returns the kind part of Format ("gmm" for "latent.gmm").
func (h Header) Kind() string { return strings.TrimPrefix(h.Format, "latent.") }

type envelope struct {
	Header
	Body json.RawMessage `json:"body"`
}

// Marshal returns the envelope of kind and schema version around body, as
// indented JSON ending in a newline. body must be finite everywhere.
func Marshal(kind string, schema int, body any) ([]byte, error) {
	if err := CheckFinite(body, "body"); err != nil {
		return nil, fmt.Errorf("modelfile: %w", err)
	}
	raw, err := json.Marshal(body)
	if err != nil {
		return nil, fmt.Errorf("modelfile: %w", err)
	}
	env := envelope{
		Header: Header{Format: "latent." + kind, Version: schema, Producer: version.Producer()},
		Body:   raw,
	}
	out, err := json.MarshalIndent(env, "", "  ")
	if err != nil {
		return nil, fmt.Errorf("modelfile: %w", err)
	}
	return append(out, '\n'), nil
}

// Save writes the envelope to path atomically (see fileio.WriteFile).
func Save(path, kind string, schema int, body any, opts fileio.Options) error {
	data, err := Marshal(kind, schema, body)
	if err != nil {
		return err
	}
	return fileio.WriteBytes(path, data, opts)
}

// Unmarshal checks that data is a latent model file of the given kind with a
// schema version in 1..maxSchema, and decodes its body strictly into body (a
// pointer to a struct). The returned header lets the caller migrate older
// versions. name is used in error messages (a file name, or "" for none).
func Unmarshal(data []byte, name, kind string, maxSchema int, body any) (Header, error) {
	prefix := "modelfile: "
	if name != "" {
		prefix += name + ": "
	}
	if len(data) > MaxFileSize {
		return Header{}, fmt.Errorf("%sfile is %d bytes, larger than the %d-byte limit for model files", prefix, len(data), MaxFileSize)
	}
	var env envelope
	if err := DecodeStrict(data, &env, ""); err != nil {
		return Header{}, fmt.Errorf("%s%w", prefix, err)
	}
	h := env.Header
	if !strings.HasPrefix(h.Format, "latent.") {
		return h, fmt.Errorf("%sformat %q is not a latent model file (want \"latent.%s\")", prefix, h.Format, kind)
	}
	if h.Kind() != kind {
		return h, fmt.Errorf("%s%w: it holds a %q model, want %q", prefix, ErrKind, h.Kind(), kind)
	}
	if h.Version < 1 {
		return h, fmt.Errorf("%sversion: %d is not a valid schema version", prefix, h.Version)
	}
	if h.Version > maxSchema {
		return h, fmt.Errorf("%s%w: schema version %d (by %s), this latent (%s) reads up to %d; upgrade latent",
			prefix, ErrNewerVersion, h.Version, h.Producer, version.Version, maxSchema)
	}
	if err := DecodeStrict(env.Body, body, "body"); err != nil {
		return h, fmt.Errorf("%s%w", prefix, err)
	}
	return h, nil
}

// Load reads a model file (at most MaxFileSize bytes) and unmarshals it.
func Load(path, kind string, maxSchema int, body any) (Header, error) {
	f, err := os.Open(path)
	if err != nil {
		return Header{}, fmt.Errorf("modelfile: %w", err)
	}
	defer f.Close()
	return Read(f, path, kind, maxSchema, body)
}

// Read is Load from a reader; name is used in error messages.
func Read(r io.Reader, name, kind string, maxSchema int, body any) (Header, error) {
	data, err := readLimited(r, name, MaxFileSize)
	if err != nil {
		return Header{}, err
	}
	return Unmarshal(data, name, kind, maxSchema, body)
}

// readLimited reads all of r, refusing more than limit bytes without
// holding more than limit+1 of them.
func readLimited(r io.Reader, name string, limit int64) ([]byte, error) {
	var buf bytes.Buffer
	n, err := io.Copy(&buf, io.LimitReader(r, limit+1))
	if err != nil {
		return nil, fmt.Errorf("modelfile: %s: %w", name, err)
	}
	if n > limit {
		return nil, fmt.Errorf("modelfile: %s: larger than the %d-byte limit for model files", name, limit)
	}
	return buf.Bytes(), nil
}
