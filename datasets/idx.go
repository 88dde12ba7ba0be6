package datasets

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
)

// IDX is an array read from an IDX file (the format of the MNIST files): an
// element type, its dimensions, and the elements in row-major order. Only
// unsigned bytes (type 0x08), the type of every MNIST file, are supported.
type IDX struct {
	Dims []int
	Data []uint8
}

// maxIDXElems bounds the declared size of an IDX array (MNIST's training
// images hold 47,040,000 bytes), so a corrupt header cannot ask for an
// absurd allocation.
const maxIDXElems = 1 << 30

// ReadIDX reads one IDX array from r, gunzipping it first when it starts
// with the gzip magic number. It checks the magic number, the element type,
// the dimensions and that the data has exactly the declared length.
func ReadIDX(r io.Reader) (*IDX, error) {
	br := bufio.NewReader(r)
	if b, err := br.Peek(2); err == nil && b[0] == 0x1f && b[1] == 0x8b {
		gz, err := gzip.NewReader(br)
		if err != nil {
			return nil, fmt.Errorf("idx: %w", err)
		}
		defer gz.Close()
		br = bufio.NewReader(gz)
	}
	var magic [4]byte
	if _, err := io.ReadFull(br, magic[:]); err != nil {
		return nil, fmt.Errorf("idx: reading the magic number: %w", unexpected(err))
	}
	if magic[0] != 0 || magic[1] != 0 {
		return nil, fmt.Errorf("idx: bad magic number % x: not an IDX file", magic)
	}
	if magic[2] != 0x08 {
		return nil, fmt.Errorf("idx: element type 0x%02x not supported (only unsigned bytes, 0x08)", magic[2])
	}
	nd := int(magic[3])
	if nd == 0 {
		return nil, errors.New("idx: zero dimensions")
	}
	dims := make([]int, nd)
	total := 1
	for i := range dims {
		var d uint32
		if err := binary.Read(br, binary.BigEndian, &d); err != nil {
			return nil, fmt.Errorf("idx: reading dimension %d: %w", i, unexpected(err))
		}
		if d == 0 || uint64(total)*uint64(d) > maxIDXElems {
			return nil, fmt.Errorf("idx: dimension %d is %d: the array would hold 0 or more than %d elements", i, d, maxIDXElems)
		}
		dims[i] = int(d)
		total *= int(d)
	}
	// Read what is there (at most one byte more than declared) rather than
	// allocating the declared size up front: a corrupt header must not cost
	// a gigabyte before the short data is noticed.
	var buf bytes.Buffer
	buf.Grow(min(total, 64<<20) + 1)
	if _, err := io.Copy(&buf, io.LimitReader(br, int64(total)+1)); err != nil {
		return nil, fmt.Errorf("idx: %w", err)
	}
	switch {
	case buf.Len() < total:
		return nil, fmt.Errorf("idx: data shorter than the %d bytes its header declares: %w", total, io.ErrUnexpectedEOF)
	case buf.Len() > total:
		return nil, fmt.Errorf("idx: data longer than the %d bytes its header declares", total)
	}
	return &IDX{Dims: dims, Data: buf.Bytes()}, nil
}

func unexpected(err error) error {
	if err == io.EOF {
		return io.ErrUnexpectedEOF
	}
	return err
}
