package fastblas

// Packing copies a block of op(A) or op(B) into the order the micro-kernel
// reads it: contiguous micro-panels, each one k steps of mr (or nr) values,
// zero padded to a full panel. Transposes are handled here and only here,
// so one micro-kernel serves all four products.

// packA packs rows [i0, i0+mb) and depths [p0, p0+kb) of op(A) into dst as
// ⌈mb/mr⌉ micro-panels of kb×mr values; panel q, step p, row r is
// dst[q·mr·kb + p·mr + r]. op(A)[i][p] is a[i·lda+p], or a[p·lda+i] when tA.
func packA[T elem](kern *kernel[T], dst []T, tA bool, a []T, lda, i0, p0, mb, kb, mr int) {
	for ir := 0; ir < mb; ir += mr {
		panel := dst[ir*kb : (ir+mr)*kb]
		rows := min(mr, mb-ir)
		if tA {
			kern.pack(panel, mr, a[p0*lda+i0+ir:], lda, rows, mr, kb)
		} else {
			kern.packT(panel, mr, a[(i0+ir)*lda+p0:], lda, rows, mr, kb)
		}
	}
}

// packB packs depths [p0, p0+kb) and columns [j0, j0+nb) of op(B) into dst
// as ⌈nb/nr⌉ micro-panels of kb×nr values; panel q, step p, column j is
// dst[q·nr·kb + p·nr + j]. op(B)[p][j] is b[p·ldb+j], or b[j·ldb+p] when tB.
func packB[T elem](kern *kernel[T], dst []T, tB bool, b []T, ldb, p0, j0, kb, nb, nr int) {
	for jr := 0; jr < nb; jr += nr {
		panel := dst[jr*kb : (jr+nr)*kb]
		cols := min(nr, nb-jr)
		if tB {
			kern.packT(panel, nr, b[(j0+jr)*ldb+p0:], ldb, cols, nr, kb)
		} else {
			kern.pack(panel, nr, b[p0*ldb+j0+jr:], ldb, cols, nr, kb)
		}
	}
}

// packRowsFunc copies k rows of w contiguous values, src rows srcStep
// apart, into dst rows dstStep apart, padding each to width values with
// zeros (1 ≤ w ≤ width ≤ nr). It packs Aᵀ and B, the cases whose steps
// are contiguous.
type packRowsFunc[T elem] func(dst []T, dstStep int, src []T, srcStep int, w, width, k int)

// packTransGo is the portable transposing packRowsFunc: k steps of w
// values taken down columns, dst[p·dstStep + j] = src[j·ld + p] for j < w,
// zeros up to width.
func packTransGo[T elem](dst []T, dstStep int, src []T, ld int, w, width, k int) {
	if k == 0 {
		return
	}
	for j := 0; j < w; j++ {
		d := dst[j:]
		for p, v := range src[j*ld : j*ld+k] {
			d[p*dstStep] = v
		}
	}
	if w < width {
		for p := 0; p < k; p++ {
			clear(dst[p*dstStep+w : p*dstStep+width])
		}
	}
}

// packRowsGo is the portable packRowsFunc. An element loop beats a call of
// memmove at these lengths.
func packRowsGo[T elem](dst []T, dstStep int, src []T, srcStep int, w, width, k int) {
	for p := 0; p < k; p++ {
		d := dst[p*dstStep : p*dstStep+width]
		for i, v := range src[p*srcStep : p*srcStep+w] {
			d[i] = v
		}
		clear(d[w:])
	}
}
