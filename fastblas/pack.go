package fastblas

// Packing copies a block of op(A) or op(B) into the order the micro-kernel
// reads it: contiguous micro-panels, each one k steps of mr (or nr) values,
// zero padded to a full panel. Transposes are handled here and only here,
// so one micro-kernel serves all four products.

// packA packs rows [i0, i0+mb) and depths [p0, p0+kb) of op(A) into dst as
// ⌈mb/mr⌉ micro-panels of kb×mr values; panel q, step p, row r is
// dst[q·mr·kb + p·mr + r]. op(A)[i][p] is a[i·lda+p], or a[p·lda+i] when tA.
func packA(dst []float64, tA bool, a []float64, lda, i0, p0, mb, kb, mr int) {
	for ir := 0; ir < mb; ir += mr {
		panel := dst[ir*kb : (ir+mr)*kb]
		rows := min(mr, mb-ir)
		if tA {
			for p := 0; p < kb; p++ {
				off := (p0+p)*lda + i0 + ir
				copyShort(panel[p*mr:p*mr+rows], a[off:off+rows])
			}
		} else {
			for r := 0; r < rows; r++ {
				off := (i0+ir+r)*lda + p0
				src := a[off : off+kb]
				d := panel[r:]
				for p, v := range src {
					d[p*mr] = v
				}
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
func packB(dst []float64, tB bool, b []float64, ldb, p0, j0, kb, nb, nr int) {
	for jr := 0; jr < nb; jr += nr {
		panel := dst[jr*kb : (jr+nr)*kb]
		cols := min(nr, nb-jr)
		if tB {
			for j := 0; j < cols; j++ {
				off := (j0+jr+j)*ldb + p0
				src := b[off : off+kb]
				d := panel[j:]
				for p, v := range src {
					d[p*nr] = v
				}
			}
		} else {
			for p := 0; p < kb; p++ {
				off := (p0+p)*ldb + j0 + jr
				copyShort(panel[p*nr:p*nr+cols], b[off:off+cols])
			}
		}
		if cols < nr {
			for p := 0; p < kb; p++ {
				clear(panel[p*nr+cols : (p+1)*nr])
			}
		}
	}
}

// copyShort is copy for the few values of one step of a micro-panel: an
// inline loop beats a call of memmove at this length.
func copyShort(dst, src []float64) {
	dst = dst[:len(src)]
	for i, v := range src {
		dst[i] = v
	}
}
