#include "textflag.h"

// The diagonal E-step's kernels (kernel_diag.go), AVX2: four components, or
// four columns, in the lanes of a ymm register; each lane does the scalar
// loop's operations in its order (no fused multiply-adds), so the bits are
// the scalar loop's.

DATA diagHalf<>+0(SB)/8, $0.5
DATA diagHalf<>+8(SB)/8, $0.5
DATA diagHalf<>+16(SB)/8, $0.5
DATA diagHalf<>+24(SB)/8, $0.5
GLOBL diagHalf<>(SB), RODATA, $32

// func lpDiag4(lp *float64, lpStride int, x *float64, xStride int, n int, mt, pt *float64, d int, cst *float64)
// lp[i·lpStride+l] = cst[l] − 0.5·Σ_j ((x[i·xStride+j] − mt[4j+l])·pt[4j+l])², l < 4, i < n.
TEXT ·lpDiag4(SB), NOSPLIT, $0-72
	MOVQ lp+0(FP), DI
	MOVQ lpStride+8(FP), R12
	SHLQ $3, R12
	MOVQ x+16(FP), SI
	MOVQ xStride+24(FP), R13
	SHLQ $3, R13
	MOVQ n+32(FP), CX
	MOVQ d+56(FP), BX
	MOVQ cst+64(FP), AX
	VMOVUPD (AX), Y14
	VMOVUPD diagHalf<>(SB), Y15

rows2:
	CMPQ CX, $2
	JLT  tail
	VXORPD Y0, Y0, Y0
	VXORPD Y4, Y4, Y4
	MOVQ   SI, R8
	LEAQ   (SI)(R13*1), R9
	MOVQ   mt+40(FP), R10
	MOVQ   pt+48(FP), R11
	MOVQ   BX, DX

cols2:
	VBROADCASTSD (R8), Y1
	VBROADCASTSD (R9), Y5
	VMOVUPD      (R10), Y6
	VMOVUPD      (R11), Y7
	VSUBPD       Y6, Y1, Y1
	VSUBPD       Y6, Y5, Y5
	VMULPD       Y7, Y1, Y1
	VMULPD       Y7, Y5, Y5
	VMULPD       Y1, Y1, Y1
	VMULPD       Y5, Y5, Y5
	VADDPD       Y1, Y0, Y0
	VADDPD       Y5, Y4, Y4
	ADDQ         $8, R8
	ADDQ         $8, R9
	ADDQ         $32, R10
	ADDQ         $32, R11
	DECQ         DX
	JNZ          cols2
	VMULPD  Y15, Y0, Y0
	VMULPD  Y15, Y4, Y4
	VSUBPD  Y0, Y14, Y0
	VSUBPD  Y4, Y14, Y4
	VMOVUPD Y0, (DI)
	VMOVUPD Y4, (DI)(R12*1)
	LEAQ    (SI)(R13*2), SI
	LEAQ    (DI)(R12*2), DI
	SUBQ    $2, CX
	JMP     rows2

tail:
	TESTQ CX, CX
	JZ    done
	VXORPD Y0, Y0, Y0
	MOVQ   SI, R8
	MOVQ   mt+40(FP), R10
	MOVQ   pt+48(FP), R11
	MOVQ   BX, DX

cols1:
	VBROADCASTSD (R8), Y1
	VSUBPD       (R10), Y1, Y1
	VMULPD       (R11), Y1, Y1
	VMULPD       Y1, Y1, Y1
	VADDPD       Y1, Y0, Y0
	ADDQ         $8, R8
	ADDQ         $32, R10
	ADDQ         $32, R11
	DECQ         DX
	JNZ          cols1
	VMULPD  Y15, Y0, Y0
	VSUBPD  Y0, Y14, Y0
	VMOVUPD Y0, (DI)

done:
	VZEROUPPER
	RET

// func lpSph4(lp *float64, lpStride int, x *float64, xStride int, n int, mt, p2 *float64, d int, cst *float64)
// lp[i·lpStride+l] = cst[l] − 0.5·(p2[l]·Σ_j (x[i·xStride+j] − mt[4j+l])²).
TEXT ·lpSph4(SB), NOSPLIT, $0-72
	MOVQ lp+0(FP), DI
	MOVQ lpStride+8(FP), R12
	SHLQ $3, R12
	MOVQ x+16(FP), SI
	MOVQ xStride+24(FP), R13
	SHLQ $3, R13
	MOVQ n+32(FP), CX
	MOVQ d+56(FP), BX
	MOVQ cst+64(FP), AX
	VMOVUPD (AX), Y14
	VMOVUPD diagHalf<>(SB), Y15
	MOVQ    p2+48(FP), AX
	VMOVUPD (AX), Y13

srows2:
	CMPQ CX, $2
	JLT  stail
	VXORPD Y0, Y0, Y0
	VXORPD Y4, Y4, Y4
	MOVQ   SI, R8
	LEAQ   (SI)(R13*1), R9
	MOVQ   mt+40(FP), R10
	MOVQ   BX, DX

scols2:
	VBROADCASTSD (R8), Y1
	VBROADCASTSD (R9), Y5
	VMOVUPD      (R10), Y6
	VSUBPD       Y6, Y1, Y1
	VSUBPD       Y6, Y5, Y5
	VMULPD       Y1, Y1, Y1
	VMULPD       Y5, Y5, Y5
	VADDPD       Y1, Y0, Y0
	VADDPD       Y5, Y4, Y4
	ADDQ         $8, R8
	ADDQ         $8, R9
	ADDQ         $32, R10
	DECQ         DX
	JNZ          scols2
	VMULPD  Y13, Y0, Y0
	VMULPD  Y13, Y4, Y4
	VMULPD  Y15, Y0, Y0
	VMULPD  Y15, Y4, Y4
	VSUBPD  Y0, Y14, Y0
	VSUBPD  Y4, Y14, Y4
	VMOVUPD Y0, (DI)
	VMOVUPD Y4, (DI)(R12*1)
	LEAQ    (SI)(R13*2), SI
	LEAQ    (DI)(R12*2), DI
	SUBQ    $2, CX
	JMP     srows2

stail:
	TESTQ CX, CX
	JZ    sdone
	VXORPD Y0, Y0, Y0
	MOVQ   SI, R8
	MOVQ   mt+40(FP), R10
	MOVQ   BX, DX

scols1:
	VBROADCASTSD (R8), Y1
	VSUBPD       (R10), Y1, Y1
	VMULPD       Y1, Y1, Y1
	VADDPD       Y1, Y0, Y0
	ADDQ         $8, R8
	ADDQ         $32, R10
	DECQ         DX
	JNZ          scols1
	VMULPD  Y13, Y0, Y0
	VMULPD  Y15, Y0, Y0
	VSUBPD  Y0, Y14, Y0
	VMOVUPD Y0, (DI)

sdone:
	VZEROUPPER
	RET

// func accDiag4(s1, s2, x *float64, xStride int, mu *float64, rows *int32, wr *float64, n, blocks int)
// For each block b < blocks of four columns (at 4b) and each listed row r
// in order: u = x[rows[r]·xStride+4b…] − mu[4b…]; t = wr[r]·u; s1 += t;
// s2 += t·u.
TEXT ·accDiag4(SB), NOSPLIT, $0-72
	MOVQ s1+0(FP), DI
	MOVQ s2+8(FP), R8
	MOVQ x+16(FP), SI
	MOVQ xStride+24(FP), R13
	SHLQ $3, R13
	MOVQ mu+32(FP), R9
	MOVQ blocks+64(FP), BX

blk:
	TESTQ BX, BX
	JZ    adone
	VMOVUPD (DI), Y0
	VMOVUPD (R8), Y1
	VMOVUPD (R9), Y2
	MOVQ    rows+40(FP), R10
	MOVQ    wr+48(FP), R11
	MOVQ    n+56(FP), CX

arow:
	TESTQ CX, CX
	JZ    ablkend
	MOVLQSX      (R10), AX
	IMULQ        R13, AX
	VMOVUPD      (SI)(AX*1), Y3
	VBROADCASTSD (R11), Y4
	VSUBPD       Y2, Y3, Y3
	VMULPD       Y3, Y4, Y4
	VADDPD       Y4, Y0, Y0
	VMULPD       Y3, Y4, Y4
	VADDPD       Y4, Y1, Y1
	ADDQ         $4, R10
	ADDQ         $8, R11
	DECQ         CX
	JMP          arow

ablkend:
	VMOVUPD Y0, (DI)
	VMOVUPD Y1, (R8)
	ADDQ    $32, DI
	ADDQ    $32, R8
	ADDQ    $32, R9
	ADDQ    $32, SI
	DECQ    BX
	JMP     blk

adone:
	VZEROUPPER
	RET

// func subRowsAVX2(dst, x *float64, xStride int, mu *float64, n, d int)
// dst[i·d+j] = x[i·xStride+j] − mu[j].
TEXT ·subRowsAVX2(SB), NOSPLIT, $0-48
	MOVQ dst+0(FP), DI
	MOVQ x+8(FP), SI
	MOVQ xStride+16(FP), R13
	SHLQ $3, R13
	MOVQ mu+24(FP), R9
	MOVQ n+32(FP), CX
	MOVQ d+40(FP), DX

srow:
	TESTQ CX, CX
	JZ    sdone2
	XORQ  R15, R15
	MOVQ  DX, R14

s4:
	CMPQ    R14, $4
	JLT     s1
	VMOVUPD (SI)(R15*8), Y0
	VSUBPD  (R9)(R15*8), Y0, Y0
	VMOVUPD Y0, (DI)(R15*8)
	ADDQ    $4, R15
	SUBQ    $4, R14
	JMP     s4

s1:
	TESTQ R14, R14
	JZ    snext
	VMOVSD (SI)(R15*8), X0
	VSUBSD (R9)(R15*8), X0, X0
	VMOVSD X0, (DI)(R15*8)
	INCQ   R15
	DECQ   R14
	JMP    s1

snext:
	LEAQ (DI)(DX*8), DI
	ADDQ R13, SI
	DECQ CX
	JMP  srow

sdone2:
	VZEROUPPER
	RET

// func subRowsIdxAVX2(dst, x *float64, xStride int, mu *float64, rows *int32, n, d int)
// dst[r·d+j] = x[rows[r]·xStride+j] − mu[j].
TEXT ·subRowsIdxAVX2(SB), NOSPLIT, $0-56
	MOVQ dst+0(FP), DI
	MOVQ x+8(FP), R8
	MOVQ xStride+16(FP), R13
	SHLQ $3, R13
	MOVQ mu+24(FP), R9
	MOVQ rows+32(FP), R10
	MOVQ n+40(FP), CX
	MOVQ d+48(FP), DX

irow:
	TESTQ   CX, CX
	JZ      idone
	MOVLQSX (R10), AX
	IMULQ   R13, AX
	LEAQ    (R8)(AX*1), SI
	XORQ    R15, R15
	MOVQ    DX, R14

i4:
	CMPQ    R14, $4
	JLT     i1
	VMOVUPD (SI)(R15*8), Y0
	VSUBPD  (R9)(R15*8), Y0, Y0
	VMOVUPD Y0, (DI)(R15*8)
	ADDQ    $4, R15
	SUBQ    $4, R14
	JMP     i4

i1:
	TESTQ R14, R14
	JZ    inext
	VMOVSD (SI)(R15*8), X0
	VSUBSD (R9)(R15*8), X0, X0
	VMOVSD X0, (DI)(R15*8)
	INCQ   R15
	DECQ   R14
	JMP    i1

inext:
	LEAQ (DI)(DX*8), DI
	ADDQ $4, R10
	DECQ CX
	JMP  irow

idone:
	VZEROUPPER
	RET
