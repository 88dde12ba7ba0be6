package cli

import (
	"bytes"
	"encoding"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"reflect"
	"sort"
	"strconv"
	"strings"
)

// NonFiniteError is returned by JSON and WriteJSON for a NaN or an infinity
// in the value: JSON has no such numbers (encoding/json refuses them with a
// message that names no field). Field is the path of the first one found,
// in JSON names: "columns[1].sd", "numbers.xor_loss_end".
type NonFiniteError struct {
	Field string
	Value float64
}

func (e *NonFiniteError) Error() string {
	return fmt.Sprintf("cannot write JSON: %s is %v, and JSON has no NaN or infinity", e.Field, e.Value)
}

// JSON returns v as indented JSON (two spaces) followed by a newline, the
// form every report of latent prints, byte for byte what json.Encoder with
// SetIndent("", "  ") writes. A NaN or infinite float anywhere in v is a
// *NonFiniteError naming the field.
func JSON(v any) ([]byte, error) {
	if err := findNonFinite(reflect.ValueOf(v), "", 0); err != nil {
		return nil, err
	}
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// WriteJSON writes JSON(v) to w: all of it, or nothing when v cannot be
// encoded.
func WriteJSON(w io.Writer, v any) error {
	b, err := JSON(v)
	if err != nil {
		return err
	}
	_, err = w.Write(b)
	return err
}

var (
	marshalerType     = reflect.TypeFor[json.Marshaler]()
	textMarshalerType = reflect.TypeFor[encoding.TextMarshaler]()
)

// maxDepth bounds the walk (encoding/json itself fails on deeper cycles).
const maxDepth = 200

// findNonFinite walks v as encoding/json would and returns a
// *NonFiniteError for the first NaN or infinity it meets. Values that
// marshal themselves (json.Marshaler, encoding.TextMarshaler) are not
// entered: their own encoding decides.
func findNonFinite(v reflect.Value, path string, depth int) error {
	if !v.IsValid() || depth > maxDepth {
		return nil
	}
	t := v.Type()
	if t.Implements(marshalerType) || t.Implements(textMarshalerType) {
		return nil
	}
	if v.CanAddr() {
		if pt := reflect.PointerTo(t); pt.Implements(marshalerType) || pt.Implements(textMarshalerType) {
			return nil
		}
	}
	switch v.Kind() {
	case reflect.Float32, reflect.Float64:
		if f := v.Float(); math.IsNaN(f) || math.IsInf(f, 0) {
			if path == "" {
				path = "the value"
			}
			return &NonFiniteError{Field: path, Value: f}
		}
	case reflect.Pointer, reflect.Interface:
		if v.IsNil() {
			return nil
		}
		return findNonFinite(v.Elem(), path, depth+1)
	case reflect.Slice, reflect.Array:
		if v.Kind() == reflect.Slice && t.Elem().Kind() == reflect.Uint8 {
			return nil // []byte is base64 text
		}
		for i := range v.Len() {
			if err := findNonFinite(v.Index(i), fmt.Sprintf("%s[%d]", path, i), depth+1); err != nil {
				return err
			}
		}
	case reflect.Map:
		keys := v.MapKeys()
		names := make([]string, len(keys))
		for i, k := range keys {
			names[i] = keyString(k)
		}
		idx := make([]int, len(keys))
		for i := range idx {
			idx[i] = i
		}
		sort.Slice(idx, func(a, b int) bool { return names[idx[a]] < names[idx[b]] })
		for _, i := range idx {
			if err := findNonFinite(v.MapIndex(keys[i]), join(path, names[i]), depth+1); err != nil {
				return err
			}
		}
	case reflect.Struct:
		return structNonFinite(v, path, depth)
	}
	return nil
}

// structNonFinite walks the fields encoding/json writes: exported, not
// tagged "-", named by their tag; embedded structs without a tag lend their
// fields to the parent.
func structNonFinite(v reflect.Value, path string, depth int) error {
	t := v.Type()
	for i := range t.NumField() {
		f := t.Field(i)
		tag := f.Tag.Get("json")
		if tag == "-" {
			continue
		}
		name, opts, _ := strings.Cut(tag, ",")
		fv := v.Field(i)
		if f.Anonymous && name == "" {
			ft := f.Type
			if ft.Kind() == reflect.Pointer {
				ft = ft.Elem()
			}
			if ft.Kind() == reflect.Struct {
				if fv.Kind() == reflect.Pointer {
					if fv.IsNil() {
						continue
					}
					fv = fv.Elem()
				}
				if err := structNonFinite(fv, path, depth+1); err != nil {
					return err
				}
				continue
			}
		}
		if !f.IsExported() {
			continue
		}
		if strings.Contains(","+opts+",", ",omitempty,") && fv.IsZero() {
			continue
		}
		if name == "" {
			name = f.Name
		}
		if err := findNonFinite(fv, join(path, name), depth+1); err != nil {
			return err
		}
	}
	return nil
}

func join(path, name string) string {
	if path == "" {
		return name
	}
	return path + "." + name
}

// keyString is a map key as encoding/json writes it.
func keyString(k reflect.Value) string {
	if k.Kind() == reflect.String {
		return k.String()
	}
	if tm, ok := k.Interface().(encoding.TextMarshaler); ok {
		if b, err := tm.MarshalText(); err == nil {
			return string(b)
		}
	}
	switch k.Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return strconv.FormatInt(k.Int(), 10)
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return strconv.FormatUint(k.Uint(), 10)
	}
	return fmt.Sprint(k.Interface())
}
