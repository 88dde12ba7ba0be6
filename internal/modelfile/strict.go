package modelfile

import (
	"bytes"
	"encoding"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"reflect"
	"strconv"
	"strings"
)

// maxDepth bounds the nesting of a JSON document; latent's deepest model
// field (a full covariance, [K][D][D] inside the body) is five levels deep.
const maxDepth = 64

// FieldError is an error about one field of a JSON document.
type FieldError struct {
	Path string // the field, as body.means[2][0]; "" for the whole document
	Msg  string
}

func (e *FieldError) Error() string {
	if e.Path == "" {
		return e.Msg
	}
	return e.Path + ": " + e.Msg
}

// DecodeStrict decodes data into v (a pointer to a struct) with the rules of
// the package documentation. prefix is prepended to field paths in errors.
func DecodeStrict(data []byte, v any, prefix string) error {
	if err := scan(data, prefix); err != nil {
		return err
	}
	var generic any
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	if err := dec.Decode(&generic); err != nil {
		return syntaxError(data, err)
	}
	if err := checkShape(reflect.TypeOf(v), generic, prefix); err != nil {
		return err
	}
	dec = json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		var te *json.UnmarshalTypeError
		if errors.As(err, &te) {
			return &FieldError{Path: join(prefix, te.Field), Msg: fmt.Sprintf("got a JSON %s, want %s", te.Value, typeName(te.Type))}
		}
		return &FieldError{Path: prefix, Msg: err.Error()}
	}
	return nil
}

// scan walks the token stream once and rejects what encoding/json accepts
// silently: null, duplicate keys, out-of-range numbers, deep nesting and
// trailing data.
func scan(data []byte, prefix string) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	if err := scanValue(dec, data, prefix, 0); err != nil {
		return err
	}
	if _, err := dec.Token(); err != io.EOF {
		off := dec.InputOffset()
		return &FieldError{Msg: fmt.Sprintf("%s: unexpected data after the JSON document", position(data, off))}
	}
	return nil
}

func scanValue(dec *json.Decoder, data []byte, path string, depth int) error {
	if depth > maxDepth {
		return &FieldError{Path: path, Msg: fmt.Sprintf("nested deeper than %d levels", maxDepth)}
	}
	tok, err := dec.Token()
	if err != nil {
		if err == io.EOF {
			if depth == 0 {
				return &FieldError{Msg: "empty document"}
			}
			return &FieldError{Path: path, Msg: "document ends too early"}
		}
		return syntaxError(data, err)
	}
	switch t := tok.(type) {
	case nil:
		return &FieldError{Path: path, Msg: "null is not allowed; give a value or remove the field"}
	case json.Number:
		f, err := strconv.ParseFloat(string(t), 64)
		if err != nil || math.IsInf(f, 0) {
			return &FieldError{Path: path, Msg: fmt.Sprintf("number %s does not fit a float64", t)}
		}
	case json.Delim:
		switch t {
		case '{':
			seen := map[string]bool{}
			for dec.More() {
				kt, err := dec.Token()
				if err != nil {
					return syntaxError(data, err)
				}
				key := kt.(string)
				if seen[key] {
					return &FieldError{Path: join(path, key), Msg: "duplicate key"}
				}
				seen[key] = true
				if err := scanValue(dec, data, join(path, key), depth+1); err != nil {
					return err
				}
			}
			if _, err := dec.Token(); err != nil {
				return syntaxError(data, err)
			}
		case '[':
			for i := 0; dec.More(); i++ {
				if err := scanValue(dec, data, fmt.Sprintf("%s[%d]", path, i), depth+1); err != nil {
					return err
				}
			}
			if _, err := dec.Token(); err != nil {
				return syntaxError(data, err)
			}
		}
	}
	return nil
}

var (
	rawMessageType  = reflect.TypeFor[json.RawMessage]()
	unmarshalerType = reflect.TypeFor[json.Unmarshaler]()
	textUnmarshaler = reflect.TypeFor[encoding.TextUnmarshaler]()
)

// checkShape compares the decoded generic value with the Go type: every
// object key must be a field (matched exactly, unlike encoding/json's
// case-insensitive match) and every field without omitempty must be present.
func checkShape(t reflect.Type, v any, path string) error {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t == rawMessageType || reflect.PointerTo(t).Implements(unmarshalerType) || reflect.PointerTo(t).Implements(textUnmarshaler) {
		return nil
	}
	switch t.Kind() {
	case reflect.Struct:
		obj, ok := v.(map[string]any)
		if !ok {
			return nil // a type mismatch, reported by the typed decode
		}
		fields := map[string]reflect.StructField{}
		var required []string
		collectFields(t, fields, &required)
		for key := range obj {
			if _, ok := fields[key]; !ok {
				return &FieldError{Path: join(path, key), Msg: "unknown field" + suggest(key, fields)}
			}
		}
		for _, name := range required {
			if _, ok := obj[name]; !ok {
				return &FieldError{Path: join(path, name), Msg: "missing required field"}
			}
		}
		for key, val := range obj {
			if err := checkShape(fields[key].Type, val, join(path, key)); err != nil {
				return err
			}
		}
	case reflect.Slice, reflect.Array:
		arr, ok := v.([]any)
		if !ok {
			return nil
		}
		if t.Kind() == reflect.Array && len(arr) != t.Len() {
			return &FieldError{Path: path, Msg: fmt.Sprintf("got %d elements, want %d", len(arr), t.Len())}
		}
		for i, e := range arr {
			if err := checkShape(t.Elem(), e, fmt.Sprintf("%s[%d]", path, i)); err != nil {
				return err
			}
		}
	case reflect.Map:
		obj, ok := v.(map[string]any)
		if !ok {
			return nil
		}
		for k, e := range obj {
			if err := checkShape(t.Elem(), e, join(path, k)); err != nil {
				return err
			}
		}
	}
	return nil
}

func collectFields(t reflect.Type, fields map[string]reflect.StructField, required *[]string) {
	for i := range t.NumField() {
		f := t.Field(i)
		if !f.IsExported() && !f.Anonymous {
			continue
		}
		tag := f.Tag.Get("json")
		if tag == "-" {
			continue
		}
		name, opts, _ := strings.Cut(tag, ",")
		if f.Anonymous && name == "" {
			ft := f.Type
			if ft.Kind() == reflect.Pointer {
				ft = ft.Elem()
			}
			if ft.Kind() == reflect.Struct {
				collectFields(ft, fields, required)
				continue
			}
		}
		if name == "" {
			name = f.Name
		}
		fields[name] = f
		if !strings.Contains(","+opts+",", ",omitempty,") && !strings.Contains(","+opts+",", ",omitzero,") {
			*required = append(*required, name)
		}
	}
}

func suggest(key string, fields map[string]reflect.StructField) string {
	for name := range fields {
		if strings.EqualFold(name, key) {
			return fmt.Sprintf(" (did you mean %q? names are case-sensitive)", name)
		}
	}
	return ""
}

func join(path, key string) string {
	if path == "" {
		return key
	}
	if key == "" {
		return path
	}
	return path + "." + key
}

func typeName(t reflect.Type) string {
	switch t.Kind() {
	case reflect.Float32, reflect.Float64:
		return "a number"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return "an integer"
	case reflect.String:
		return "a string"
	case reflect.Bool:
		return "true or false"
	case reflect.Slice, reflect.Array:
		return "an array"
	case reflect.Struct, reflect.Map:
		return "an object"
	}
	return t.String()
}

func syntaxError(data []byte, err error) error {
	var se *json.SyntaxError
	if errors.As(err, &se) {
		return &FieldError{Msg: fmt.Sprintf("%s: invalid JSON: %v", position(data, se.Offset-1), se)}
	}
	if err == io.ErrUnexpectedEOF {
		return &FieldError{Msg: "invalid JSON: the document ends too early (truncated file?)"}
	}
	return &FieldError{Msg: "invalid JSON: " + err.Error()}
}

// position turns the 0-based byte offset of a character into "line L,
// column C" (both 1-based, columns in bytes).
func position(data []byte, off int64) string {
	off = max(0, min(off, int64(len(data))))
	line := 1 + bytes.Count(data[:off], []byte("\n"))
	col := int(off) - bytes.LastIndexByte(data[:off], '\n')
	return fmt.Sprintf("line %d, column %d", line, col)
}

// CheckFinite returns an error naming the first NaN or infinite float64
// reachable from v (through structs, pointers, slices, arrays and maps).
func CheckFinite(v any, prefix string) error {
	return checkFinite(reflect.ValueOf(v), prefix)
}

func checkFinite(v reflect.Value, path string) error {
	switch v.Kind() {
	case reflect.Float32, reflect.Float64:
		if f := v.Float(); math.IsNaN(f) || math.IsInf(f, 0) {
			return &FieldError{Path: path, Msg: fmt.Sprintf("value %v is not finite; a model with non-finite parameters cannot be saved", f)}
		}
	case reflect.Pointer, reflect.Interface:
		if !v.IsNil() {
			return checkFinite(v.Elem(), path)
		}
	case reflect.Struct:
		t := v.Type()
		for i := range t.NumField() {
			f := t.Field(i)
			if !f.IsExported() {
				continue
			}
			name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
			if name == "-" {
				continue
			}
			if name == "" {
				name = f.Name
			}
			if f.Anonymous {
				name = ""
			}
			if err := checkFinite(v.Field(i), join(path, name)); err != nil {
				return err
			}
		}
	case reflect.Slice, reflect.Array:
		if v.Type().Elem().Kind() == reflect.Uint8 {
			return nil
		}
		for i := range v.Len() {
			if err := checkFinite(v.Index(i), fmt.Sprintf("%s[%d]", path, i)); err != nil {
				return err
			}
		}
	case reflect.Map:
		it := v.MapRange()
		for it.Next() {
			if err := checkFinite(it.Value(), join(path, fmt.Sprint(it.Key()))); err != nil {
				return err
			}
		}
	}
	return nil
}
