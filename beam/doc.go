// Package beam fits latent's Gaussian mixtures by EM with every E-step an
// Apache Beam pipeline (Go SDK), so that data too large for one machine
// (a bucket of CSV shards) are fitted on an existing engine — prism in
// this process, Flink, Spark or Google Dataflow — with the bits of
// mixture.Fit on the same rows.
//
// It is a separate Go module (github.com/latentgo/latent/beam): the main
// module and every program that imports latent as a library gain none of
// Beam's dependencies.
//
// # The pipelines
//
// FitGMM is the driver: it runs mixture.FitEngine, whose starts, M-steps,
// stopping rule and report are those of mixture.Fit, with the E-steps sent
// to an engine (em.RunEngine). Before the first start, one scan pipeline
// reads every shard once:
//
//	shards ─ParDo(scan)→ per shard: rows, columns, its n rows of smallest key
//	       ─Combine→ one result: the shards' facts and the n rows of smallest key
//
// which places the shards in the concatenated data (shard i's rows are rows
// First_i … First_i+Rows_i−1) and draws the sample the initialisation runs
// on, locally (k-means, k-means++, random: mixture's Init, with the
// restarts of Options.NInit). The sample is a bottom-n sample: row r of
// shard s has the key splitmix64(seed, s, r), and the n rows of smallest
// key are a uniform sample without replacement that any number of workers
// draw identically. With no more rows than n (SampleRows, 100 000 by
// default, as latent gmm fit --stream) the sample is every row in order,
// so the initialisation is mixture.Fit's on the whole data.
//
// Each E-step is then one pipeline:
//
//	spans ─ParDo(E-step, side input: the parameters)→ whole blocks' statistics
//	                                                  └→ pieces of blocks that span shards, keyed by block
//	pieces ─GroupByKey→ ParDo(join in shard order, E-step)→ those blocks' statistics
//	Flatten ─Combine(tree)→ the merged statistics → one file the driver reads
//
// The parameters go to the workers as a side input of one element, the
// bytes of mixture.MarshalEStep (the means, the precision factors, the log
// weights: the float64 bits the local E-step reads). The rows are cut into
// blocks of Options.Mixture.BlockRows rows (4096 by default) in the order
// of the concatenated data, exactly as em.Pass cuts them in memory, so a
// block may span shards: the shard holding a block wholly computes its
// statistics; the pieces of a block that spans shards meet in a GroupByKey
// (at most BlockRows−1 rows per shard boundary are shuffled) and are put
// together in shard order before their E-step.
//
// # Bits: the merge order
//
// mixture.Fit merges the blocks' statistics in a fixed pairwise tree (a
// binary counter over the blocks in order, em.MergeOrder), with the update
// of Chan, Golub & LeVeque (1979); floating-point addition is not
// associative, so the tree decides the bits. A Beam CombineFn sees its
// inputs in any order and merges accumulators in any order. The tree
// CombineFn keeps, in its accumulator, the aligned runs of 2^j blocks
// not yet merged, and merges two runs only when they are siblings in
// em.Pass's tree (run [a, a+2^j) with [a+2^j, a+2^(j+1)), a a multiple of
// 2^(j+1)), the earlier rows first; at the end the runs left are the binary
// digits of the number of blocks, folded from the last as em.Pass folds its
// stack. Every merge is therefore one that em.Pass makes, on the same
// operands, whatever the runner's order, bundling or lifting of the
// combine: the fit equals mixture.Fit (and latent gmm fit, and latent gmm
// fit --stream) on the concatenated rows with the same BlockRows, bit for
// bit. TestFitGMMBits checks it on prism with shards of 700, 1, 0, 555 and
// 244 rows (blocks spanning two and three shards, an empty shard) and two
// starts; the README of the module shows the 1e5 × 10, K = 8 bench set
// split into 8 shards giving latent gmm fit's model file byte for byte.
//
// # One pipeline run per iteration
//
// EM iterates until the log-likelihood stops changing; a Beam pipeline is
// a DAG, with no loop and no data kept between runs. So each E-step is one
// pipeline run and the M-step and the convergence test run in the driver,
// as Spark MLlib's GaussianMixture runs one job (a treeAggregate of the
// expected sums) per iteration. The alternatives are worse here: unrolling
// several iterations in one graph needs their number in advance (EM would
// run past convergence, and the report would no longer be mixture.Fit's),
// and the Go SDK has no iterative or streaming construct that keeps the
// parsed rows between iterations. The cost is that every iteration reads
// the shards again (as latent gmm fit --stream does) and pays the runner's
// job start-up: milliseconds on prism, seconds on Flink and Spark, minutes
// on Dataflow (see the README's cost model).
//
// # Errors
//
// A pattern that matches no file is an error before any pipeline runs. A
// malformed cell, a ragged row or a shard whose columns differ from the
// first shard's fail the job; the error (a *JobError) carries the reader's
// message: the shard's path, line and column, what was wrong and what to
// do. An empty shard (a header only, or no bytes) has no rows and is
// skipped.
//
// Not supported: weights, known classes and missing values (latent gmm
// fit does them in memory or streamed), Parquet shards, and the selection
// grid over K and covariance types (one fit per run).
package beam
