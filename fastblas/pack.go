package fastblas

// Packing copies a block of op(A) or op(B) into the order the micro-kernel
// reads it: contiguous micro-panels, each one k steps of mr (or nr) values,
// zero padded to a full panel. Transposes are handled here and only here,
// so one micro-kernel serves all four products.

// packA packs rows [i0, i0+mb) and depths [p0, p0+kb) of op(A) into dst as
// ⌈mb/mr⌉ micro-panels of kb×mr values; panel q, step p, row r is
// dst[q·mr·kb + p·mr + r]. op(A)[i][p] is a[i·lda+p], or a[p·lda+i] when tA.
func packA(pack packRowsFunc, dst []float64, tA bool, a []float64, lda, i0, p0, mb, kb, mr int) {
	for ir := 0; ir < mb; ir += mr {
		panel := dst[ir*kb : (ir+mr)*kb]
		rows := min(mr, mb-ir)
		if tA {
			pack(panel, mr, a[p0*lda+i0+ir:], lda, rows, mr, kb)
			continue
		}
		for r := 0; r < rows; r++ {
			off := (i0+ir+r)*lda + p0
			src := a[off : off+kb]
			d := panel[r:]
			for p, v := range src {
				d[p*mr] = v
			}
		}
		if rows < mr {
			for p := 0; p < kb; p++ {
				clear(panel[p*mr+rows : (p+1)*mr])
			}
		}
	}
}

// packB packs depths [p0, p0+kb) and columns [j0, j0+nb) of op(B) into dst
// as ⌈nb/nr⌉ micro-panels of kb×nr values; panel q, step p, column j is
// dst[q·nr·kb + p·nr + j]. op(B)[p][j] is b[p·ldb+j], or b[j·ldb+p] when tB.
func packB(pack packRowsFunc, dst []float64, tB bool, b []float64, ldb, p0, j0, kb, nb, nr int) {
	for jr := 0; jr < nb; jr += nr {
		panel := dst[jr*kb : (jr+nr)*kb]
		cols := min(nr, nb-jr)
		if !tB {
			pack(panel, nr, b[p0*ldb+j0+jr:], ldb, cols, nr, kb)
			continue
		}
		for j := 0; j < cols; j++ {
			off := (j0+jr+j)*ldb + p0
			src := b[off : off+kb]
			d := panel[j:]
			for p, v := range src {
				d[p*nr] = v
			}
		}
		if cols < nr {
			for p := 0; p < kb; p++ {
				clear(panel[p*nr+cols : (p+1)*nr])
			}
		}
	}
}

// packRowsFunc copies k rows of w contiguous values, src rows srcStep
// apart, into dst rows dstStep apart, padding each to width values with
// zeros (1 ≤ w ≤ width ≤ 16). It packs Aᵀ and B, the cases whose steps
// are contiguous.
type packRowsFunc func(dst []float64, dstStep int, src []float64, srcStep int, w, width, k int)

// packRowsGo is the portable packRowsFunc. An element loop beats a call of
// memmove at these lengths.
func packRowsGo(dst []float64, dstStep int, src []float64, srcStep int, w, width, k int) {
	for p := 0; p < k; p++ {
		d := dst[p*dstStep : p*dstStep+width]
		for i, v := range src[p*srcStep : p*srcStep+w] {
			d[i] = v
		}
		clear(d[w:])
	}
}
