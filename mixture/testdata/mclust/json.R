# A small JSON writer for the reference scripts (mclust_ref.R, flexmix_ref.R).
#
# jsonlite prints 15 significant digits, which does not round-trip a double;
# here every double is written with sprintf("%.17g"), which does (glibc's
# printf is exact, and Go's strconv.ParseFloat is correctly rounded).
#
# Conventions:
#   * NA, NaN and +-Inf are written as null.
#   * An atomic vector of length 1 is a scalar; longer vectors are arrays.
#     jvec(x) forces an array whatever the length (use it for per-component
#     quantities, so G = 1 still gives an array).
#   * A matrix is an array of its rows; a 3-way array a[i, j, k] is nested
#     with i outermost (callers aperm() first when they want another order).
#   * A named list is an object (names kept in order); an unnamed list is
#     an array.

jvec <- function(x) structure(list(as.vector(x)), class = "jvec")

.jnum <- function(x) {
  out <- sprintf("%.17g", x)
  out[!is.finite(x)] <- "null"
  out
}

.jatom <- function(x) {
  if (is.logical(x)) {
    out <- ifelse(x, "true", "false")
    out[is.na(x)] <- "null"
    return(out)
  }
  if (is.integer(x)) {
    out <- sprintf("%d", x)
    out[is.na(x)] <- "null"
    return(out)
  }
  if (is.numeric(x)) return(.jnum(x))
  if (is.factor(x)) x <- as.character(x)
  if (is.character(x)) {
    s <- gsub("\\\\", "\\\\\\\\", x)
    s <- gsub("\"", "\\\\\"", s)
    s <- gsub("\n", "\\\\n", s)
    s <- gsub("\t", "\\\\t", s)
    out <- paste0("\"", s, "\"")
    out[is.na(x)] <- "null"
    return(out)
  }
  stop("json: unsupported atomic type ", typeof(x))
}

.jarr <- function(items) paste0("[", paste(items, collapse = ","), "]")

.jnested <- function(x, dims) {
  # x is an R array; emit with the first index outermost
  if (length(dims) == 1) return(.jarr(.jatom(as.vector(x))))
  items <- vapply(seq_len(dims[1]), function(i) {
    sub <- array(x, dim = dims)
    idx <- c(list(i), rep(list(TRUE), length(dims) - 1))
    s <- do.call(`[`, c(list(sub), idx, list(drop = FALSE)))
    .jnested(array(s, dim = dims[-1]), dims[-1])
  }, character(1))
  .jarr(items)
}

tojson <- function(x, indent = 0) {
  pad <- function(k) strrep(" ", k)
  if (is.null(x)) return("null")
  if (inherits(x, "jvec")) {
    v <- x[[1]]
    if (length(v) == 0) return("[]")
    return(.jarr(.jatom(v)))
  }
  if (is.list(x) && !is.data.frame(x)) {
    if (length(x) == 0) return(if (is.null(names(x))) "[]" else "{}")
    nm <- names(x)
    vals <- vapply(x, tojson, character(1), indent = indent + 1)
    if (!is.null(nm) && all(nzchar(nm))) {
      body <- paste0(pad(indent + 1), .jatom(nm), ": ", vals)
      return(paste0("{\n", paste(body, collapse = ",\n"), "\n", pad(indent), "}"))
    }
    body <- paste0(pad(indent + 1), vals)
    return(paste0("[\n", paste(body, collapse = ",\n"), "\n", pad(indent), "]"))
  }
  if (is.data.frame(x)) stop("json: convert data frames explicitly")
  d <- dim(x)
  if (!is.null(d)) {
    if (any(d == 0)) return("[]")
    return(.jnested(x, d))
  }
  if (length(x) == 0) return("[]")
  a <- .jatom(unname(x))
  if (length(a) == 1) return(a)
  .jarr(a)
}

writejson <- function(x, path) {
  tmp <- paste0(path, ".tmp")
  con <- file(tmp, "w")
  writeLines(tojson(x), con)
  close(con)
  if (!file.rename(tmp, path)) stop("cannot rename ", tmp, " to ", path)
  invisible(path)
}

# The BLAS and LAPACK R runs with (recorded in every reference file).
blasInfo <- function() {
  si <- sessionInfo()
  list(BLAS = si$BLAS, LAPACK = si$LAPACK)
}

# The mclust references are made with Debian's reference BLAS and LAPACK
# (plain loops: a dot product adds its terms in order), not OpenBLAS, whose
# kernels change the order of additions with the CPU. That order breaks exact
# ties in hc's merge costs (Iris with use = "STD" merges differently from
# merge 4 on under OpenBLAS) and moves BIC values in the 12th digit.
REFERENCE_BLAS_PRELOAD <- paste0("LD_PRELOAD=/usr/lib/x86_64-linux-gnu/blas/libblas.so.3:",
                                 "/usr/lib/x86_64-linux-gnu/lapack/liblapack.so.3")
requireReferenceBlas <- function() {
  b <- blasInfo()
  if (!grepl("/blas/libblas", b$BLAS) || !grepl("/lapack/liblapack", b$LAPACK))
    stop("run with the reference BLAS and LAPACK (R uses ", b$BLAS, " and ", b$LAPACK, "):\n  ",
         REFERENCE_BLAS_PRELOAD, " Rscript ...", call. = FALSE)
}
