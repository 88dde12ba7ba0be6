package main

import (
	"bufio"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"slices"
	"strconv"

	"gonum.org/v1/gonum/mat"

	"github.com/latentgo/latent/internal/fileio"
	"github.com/latentgo/latent/internal/memlimit"
	"github.com/latentgo/latent/mixture"
	"github.com/latentgo/latent/table"
)

// sampleChunk is how many rows gmm sample draws and writes at a time: the
// rows it holds, whatever -n.
const sampleChunk = 1 << 14

// sampler is what gmm sample needs of a model file: a Gaussian mixture's
// (*mixture.Model) or a Bayesian mixture's (*mixture.BayesModel).
type sampler interface {
	Dim() int
	FeatureNames() []string
	SampleStream(ctx context.Context, n int64, chunk int, rng *rand.Rand, fn func(x *mat.Dense, labels []int) error) error
}

// parseSampleCount reads gmm sample's -n: a whole number of rows from 1
// to mixture.MaxStreamRows, written as digits (2000000000) or in exponent
// form (1e12). A bad value is a usage error (exit 2) before any work.
func parseSampleCount(s string) (int64, error) {
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		v, ferr := strconv.ParseFloat(s, 64)
		if ferr != nil || v != math.Trunc(v) || v > mixture.MaxStreamRows || v < math.MinInt64 {
			return 0, usagef("-n %q: give a whole number of rows from 1 to 2⁵³ (1000, 2000000000 or 1e12)", s)
		}
		n = int64(v)
	}
	if n < 1 || n > mixture.MaxStreamRows {
		return 0, usagef("-n %s: invalid number of samples; sampling requires at least one row and at most 2⁵³", s)
	}
	return n, nil
}

// loadSampler reads --model, a Gaussian or a Bayesian mixture's file, and
// checks --out (the outputs guard) before any draw.
func (f *gmmModelFlags) loadSampler(e *env) (sampler, []string, error) {
	var s sampler
	if b, _, err := f.loadBayes(e, ""); err != nil {
		return nil, nil, err
	} else if b != nil {
		s = b
	} else {
		m, _, err := f.load(e, "")
		if err != nil {
			return nil, nil, err
		}
		s = m
	}
	cols := s.FeatureNames()
	if cols == nil {
		cols = table.DefaultColumns(s.Dim())
	}
	if !f.asJSON && slices.Contains(cols, "component") {
		return nil, nil, errors.New("the model has a feature named \"component\"; use --json")
	}
	return s, cols, nil
}

// runGmmSample is gmm sample: n rows drawn from the model by
// SampleStream, sampleChunk rows at a time, written as CSV to stdout or
// (atomically) to --out as they are drawn, so that memory does not grow
// with n and Ctrl-C stops between two chunks. --json is one document, so
// it holds every row: the memory guard refuses an n that cannot fit.
func runGmmSample(e *env, ctx context.Context, f *gmmModelFlags, n int64, seed uint64) error {
	s, cols, err := f.loadSampler(e)
	if err != nil {
		return err
	}
	rng := rand.New(rand.NewPCG(seed, 0x676d6d73616d706c))
	if f.asJSON {
		return sampleJSON(e, ctx, f, s, cols, n, rng)
	}
	bar := newProgress(e.stderr, int(n), "gmm sample")
	defer bar.Done()
	done := int64(0) // rows written
	write := func(w io.Writer) error {
		bw := bufio.NewWriter(w)
		cw := csv.NewWriter(bw)
		rec := append(slices.Clone(cols), "component")
		if err := cw.Write(rec); err != nil {
			return err
		}
		err := s.SampleStream(ctx, n, sampleChunk, rng, func(x *mat.Dense, labels []int) error {
			for i, l := range labels {
				rec = rec[:0]
				for _, v := range x.RawRowView(i) {
					rec = append(rec, strconv.FormatFloat(v, 'g', -1, 64))
				}
				if err := cw.Write(append(rec, strconv.Itoa(l))); err != nil {
					return err
				}
			}
			cw.Flush()
			bar.Add(len(labels))
			done += int64(len(labels))
			return cw.Error()
		})
		if err != nil {
			return err
		}
		return bw.Flush()
	}
	err = f.writeStream(e, write)
	if ctx.Err() != nil {
		if f.out == "" || f.out == "-" {
			fmt.Fprintf(e.stderr, "latent: gmm sample stopped after %d of %d rows\n", done, n)
		} else {
			fmt.Fprintf(e.stderr, "latent: gmm sample stopped after %d of %d rows; %s was not written\n", done, n, f.out)
		}
		return ctx.Err()
	}
	return err
}

// writeStream writes what fn writes to stdout or, with --out, atomically
// to the file (an interrupted run leaves no file).
func (f *gmmModelFlags) writeStream(e *env, fn func(io.Writer) error) error {
	if f.out == "" || f.out == "-" {
		return fn(e.stdout)
	}
	return fileio.WriteFile(f.out, fn, f.opts)
}

// sampleJSON is gmm sample --json: the rows in one JSON document, after
// the memory guard (the rows as float64 and as JSON text).
func sampleJSON(e *env, ctx context.Context, f *gmmModelFlags, s sampler, cols []string, n int64, rng *rand.Rand) error {
	d := float64(s.Dim())
	what := fmt.Sprintf("--json with %d rows of %d columns (one JSON document holds every row; without --json the CSV is written as it is drawn)", n, s.Dim())
	if err := memlimit.Check(what, memlimit.Floats(float64(n), d+1)+float64(n)*(d+1)*25, "-n"); err != nil {
		return err
	}
	v := struct {
		Columns   []string    `json:"columns"`
		Rows      [][]float64 `json:"rows"`
		Component []int       `json:"component"`
	}{Columns: cols, Rows: make([][]float64, 0, n), Component: make([]int, 0, n)}
	err := s.SampleStream(ctx, n, sampleChunk, rng, func(x *mat.Dense, labels []int) error {
		for i := range labels {
			v.Rows = append(v.Rows, slices.Clone(x.RawRowView(i)))
		}
		v.Component = append(v.Component, labels...)
		return nil
	})
	if err != nil {
		return err
	}
	return f.write(e, v, nil)
}

// writeSamples is gmm score --samples: each row's value in a CSV column
// named col or, with --json, one JSON document {"file": …, col: […]}
// (issue 22, item 13: --json is one JSON document on stdout).
func (f *gmmModelFlags) writeSamples(e *env, path, col string, ss []float64) error {
	v := map[string]any{"file": path, col: ss}
	return f.write(e, v, csvOf(&table.Table{Columns: []string{col}, X: mat.NewDense(len(ss), 1, ss)}))
}
