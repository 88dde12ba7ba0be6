// Package modelfile reads and writes latent's model files: JSON documents in
// a versioned envelope,
//
//	{
//	  "format":   "latent.gmm",        // latent.<kind>
//	  "version":  1,                   // the schema version of that kind
//	  "producer": "latent 0.1.0",      // the latent that wrote it
//	  "body":     { ... }              // the model, defined by its package
//	}
//
// Writing validates before it marshals: a NaN or an infinity anywhere in the
// body is reported with the path of the field (encoding/json would only say
// "unsupported value"), and the file is written atomically (internal/fileio).
// Floats are written in Go's shortest round-trip form, so parameters survive a
// save and load bit for bit.
//
// Reading is strict, because a model file may come from anywhere: the file
// size is capped before parsing; the JSON must be one value with nothing
// after it; null, duplicate keys, unknown fields, missing fields, numbers
// that do not fit a float64 and nesting deeper than 64 levels are errors that
// name the field (catalog J-05, J-07). A field may be absent only when its
// json tag says omitempty. A file of another kind, or of a newer schema
// version than this latent reads, is refused (J-02, J-03); an older version
// is handed to the caller, which migrates it. Semantic checks (shapes,
// positive definiteness) belong to the model's package (J-06).
//
// A file records no creation time (as scikit-learn's pickles and PyTorch's
// state dicts record none), so a seeded run writes byte-identical files with
// no environment to set, and the package reads no environment variable.
// Files written by earlier versions carry a "created" field; it is read and
// kept in Header.Created.
package modelfile
