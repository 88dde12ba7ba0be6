#include "textflag.h"

// Micro-kernels for the packed GEMM; see microKernel and directKernel in
// kernel.go for the contracts. Registers: SI walks A, DI walks B, DX the
// rows of C, R8 is ldc in bytes, CX and BX count steps of k.
//
// Packed-style kernels (gemmKernel*): row r of A's step at +8r bytes, the
// next step aStep elements on (mr for a packed panel, lda for Aᵀ read in
// place); B's step is nr contiguous values, the next bStep elements on (nr
// packed, ldb in place). R9 and R10 hold the steps in bytes.
//
// Direct kernels (gemmKernel*Direct): row r of A at +r·lda, the next step
// 8 bytes on. Row pointers SI (rows 0–2), R10 (3–5), R11 (6–8), R12 (9–11),
// R13 (12–13), each used with +0, +lda, +2·lda through R9 = lda in bytes;
// AX holds B's step in bytes.

// One row of the tile: broadcast A's value, two FMAs into the accumulators.
#define ROW(mem, x, b0, b1, acc0, acc1) \
	VBROADCASTSD mem, x; \
	VFMADD231PD  b0, x, acc0; \
	VFMADD231PD  b1, x, acc1

// ---- AVX-512F, 14×16 tile: accumulators Z0..Z27 (row r in Z2r, Z2r+1),
// B's step in Z28, Z29, broadcasts of A alternate in Z30, Z31.

#define LOADB512 \
	VMOVUPD (DI), Z28; \
	VMOVUPD 64(DI), Z29

#define STEP512 \
	LOADB512; \
	ROW(0(SI), Z30, Z28, Z29, Z0, Z1); \
	ROW(8(SI), Z31, Z28, Z29, Z2, Z3); \
	ROW(16(SI), Z30, Z28, Z29, Z4, Z5); \
	ROW(24(SI), Z31, Z28, Z29, Z6, Z7); \
	ROW(32(SI), Z30, Z28, Z29, Z8, Z9); \
	ROW(40(SI), Z31, Z28, Z29, Z10, Z11); \
	ROW(48(SI), Z30, Z28, Z29, Z12, Z13); \
	ROW(56(SI), Z31, Z28, Z29, Z14, Z15); \
	ROW(64(SI), Z30, Z28, Z29, Z16, Z17); \
	ROW(72(SI), Z31, Z28, Z29, Z18, Z19); \
	ROW(80(SI), Z30, Z28, Z29, Z20, Z21); \
	ROW(88(SI), Z31, Z28, Z29, Z22, Z23); \
	ROW(96(SI), Z30, Z28, Z29, Z24, Z25); \
	ROW(104(SI), Z31, Z28, Z29, Z26, Z27); \
	ADDQ R9, SI; \
	ADDQ R10, DI

#define STEPD512(ao) \
	LOADB512; \
	ROW(ao(SI), Z30, Z28, Z29, Z0, Z1); \
	ROW(ao(SI)(R9*1), Z31, Z28, Z29, Z2, Z3); \
	ROW(ao(SI)(R9*2), Z30, Z28, Z29, Z4, Z5); \
	ROW(ao(R10), Z31, Z28, Z29, Z6, Z7); \
	ROW(ao(R10)(R9*1), Z30, Z28, Z29, Z8, Z9); \
	ROW(ao(R10)(R9*2), Z31, Z28, Z29, Z10, Z11); \
	ROW(ao(R11), Z30, Z28, Z29, Z12, Z13); \
	ROW(ao(R11)(R9*1), Z31, Z28, Z29, Z14, Z15); \
	ROW(ao(R11)(R9*2), Z30, Z28, Z29, Z16, Z17); \
	ROW(ao(R12), Z31, Z28, Z29, Z18, Z19); \
	ROW(ao(R12)(R9*1), Z30, Z28, Z29, Z20, Z21); \
	ROW(ao(R12)(R9*2), Z31, Z28, Z29, Z22, Z23); \
	ROW(ao(R13), Z30, Z28, Z29, Z24, Z25); \
	ROW(ao(R13)(R9*1), Z31, Z28, Z29, Z26, Z27); \
	ADDQ AX, DI

// C row = alpha·acc + beta·C row (Z30 = alpha, Z31 = beta), then next row.
#define UPDATE512(acc0, acc1) \
	VMULPD      Z30, acc0, acc0; \
	VMULPD      Z30, acc1, acc1; \
	VFMADD231PD (DX), Z31, acc0; \
	VFMADD231PD 64(DX), Z31, acc1; \
	VMOVUPD     acc0, (DX); \
	VMOVUPD     acc1, 64(DX); \
	ADDQ        R8, DX

// C row = alpha·acc, C not read (beta = 0).
#define STORE512(acc0, acc1) \
	VMULPD  Z30, acc0, acc0; \
	VMULPD  Z30, acc1, acc1; \
	VMOVUPD acc0, (DX); \
	VMOVUPD acc1, 64(DX); \
	ADDQ    R8, DX

// ---- AVX2+FMA3, 6×8 tile: accumulators Y0..Y11 (row r in Y2r, Y2r+1),
// B's step in Y12, Y13, broadcasts of A alternate in Y14, Y15.

#define LOADB256 \
	VMOVUPD (DI), Y12; \
	VMOVUPD 32(DI), Y13

#define STEP256 \
	LOADB256; \
	ROW(0(SI), Y14, Y12, Y13, Y0, Y1); \
	ROW(8(SI), Y15, Y12, Y13, Y2, Y3); \
	ROW(16(SI), Y14, Y12, Y13, Y4, Y5); \
	ROW(24(SI), Y15, Y12, Y13, Y6, Y7); \
	ROW(32(SI), Y14, Y12, Y13, Y8, Y9); \
	ROW(40(SI), Y15, Y12, Y13, Y10, Y11); \
	ADDQ R9, SI; \
	ADDQ R10, DI

#define STEPD256(ao) \
	LOADB256; \
	ROW(ao(SI), Y14, Y12, Y13, Y0, Y1); \
	ROW(ao(SI)(R9*1), Y15, Y12, Y13, Y2, Y3); \
	ROW(ao(SI)(R9*2), Y14, Y12, Y13, Y4, Y5); \
	ROW(ao(R10), Y15, Y12, Y13, Y6, Y7); \
	ROW(ao(R10)(R9*1), Y14, Y12, Y13, Y8, Y9); \
	ROW(ao(R10)(R9*2), Y15, Y12, Y13, Y10, Y11); \
	ADDQ AX, DI

#define UPDATE256(acc0, acc1) \
	VMULPD      Y14, acc0, acc0; \
	VMULPD      Y14, acc1, acc1; \
	VFMADD231PD (DX), Y15, acc0; \
	VFMADD231PD 32(DX), Y15, acc1; \
	VMOVUPD     acc0, (DX); \
	VMOVUPD     acc1, 32(DX); \
	ADDQ        R8, DX

#define STORE256(acc0, acc1) \
	VMULPD  Y14, acc0, acc0; \
	VMULPD  Y14, acc1, acc1; \
	VMOVUPD acc0, (DX); \
	VMOVUPD acc1, 32(DX); \
	ADDQ    R8, DX

// func gemmKernel14x16AVX512(k int, a []float64, aStep int, b []float64, bStep int, c []float64, ldc int, alpha, beta float64)
TEXT ·gemmKernel14x16AVX512(SB), NOSPLIT, $0-120
	MOVQ k+0(FP), CX
	MOVQ a_base+8(FP), SI
	MOVQ aStep+32(FP), R9
	MOVQ b_base+40(FP), DI
	MOVQ bStep+64(FP), R10
	MOVQ c_base+72(FP), DX
	MOVQ ldc+96(FP), R8
	SHLQ $3, R9
	SHLQ $3, R10
	SHLQ $3, R8

	VPXORQ Z0, Z0, Z0
	VPXORQ Z1, Z1, Z1
	VPXORQ Z2, Z2, Z2
	VPXORQ Z3, Z3, Z3
	VPXORQ Z4, Z4, Z4
	VPXORQ Z5, Z5, Z5
	VPXORQ Z6, Z6, Z6
	VPXORQ Z7, Z7, Z7
	VPXORQ Z8, Z8, Z8
	VPXORQ Z9, Z9, Z9
	VPXORQ Z10, Z10, Z10
	VPXORQ Z11, Z11, Z11
	VPXORQ Z12, Z12, Z12
	VPXORQ Z13, Z13, Z13
	VPXORQ Z14, Z14, Z14
	VPXORQ Z15, Z15, Z15
	VPXORQ Z16, Z16, Z16
	VPXORQ Z17, Z17, Z17
	VPXORQ Z18, Z18, Z18
	VPXORQ Z19, Z19, Z19
	VPXORQ Z20, Z20, Z20
	VPXORQ Z21, Z21, Z21
	VPXORQ Z22, Z22, Z22
	VPXORQ Z23, Z23, Z23
	VPXORQ Z24, Z24, Z24
	VPXORQ Z25, Z25, Z25
	VPXORQ Z26, Z26, Z26
	VPXORQ Z27, Z27, Z27

	MOVQ CX, BX
	SHRQ $2, BX
	JZ   tailP512

loopP512:
	STEP512
	STEP512
	STEP512
	STEP512
	DECQ BX
	JNZ  loopP512

tailP512:
	ANDQ $3, CX
	JZ   updateP512

loop1P512:
	STEP512
	DECQ CX
	JNZ  loop1P512

updateP512:
	VBROADCASTSD alpha+104(FP), Z30
	VBROADCASTSD beta+112(FP), Z31
	MOVQ         beta+112(FP), AX
	SHLQ         $1, AX               // drop the sign: zero for +0 and -0
	JZ           storeP512

	UPDATE512(Z0, Z1)
	UPDATE512(Z2, Z3)
	UPDATE512(Z4, Z5)
	UPDATE512(Z6, Z7)
	UPDATE512(Z8, Z9)
	UPDATE512(Z10, Z11)
	UPDATE512(Z12, Z13)
	UPDATE512(Z14, Z15)
	UPDATE512(Z16, Z17)
	UPDATE512(Z18, Z19)
	UPDATE512(Z20, Z21)
	UPDATE512(Z22, Z23)
	UPDATE512(Z24, Z25)
	UPDATE512(Z26, Z27)
	VZEROUPPER
	RET

storeP512:
	STORE512(Z0, Z1)
	STORE512(Z2, Z3)
	STORE512(Z4, Z5)
	STORE512(Z6, Z7)
	STORE512(Z8, Z9)
	STORE512(Z10, Z11)
	STORE512(Z12, Z13)
	STORE512(Z14, Z15)
	STORE512(Z16, Z17)
	STORE512(Z18, Z19)
	STORE512(Z20, Z21)
	STORE512(Z22, Z23)
	STORE512(Z24, Z25)
	STORE512(Z26, Z27)
	VZEROUPPER
	RET

// func gemmKernel14x16AVX512Direct(k int, a []float64, lda int, b []float64, bStep int, c []float64, ldc int, alpha, beta float64)
TEXT ·gemmKernel14x16AVX512Direct(SB), NOSPLIT, $0-120
	MOVQ k+0(FP), CX
	MOVQ a_base+8(FP), SI
	MOVQ lda+32(FP), R9
	MOVQ b_base+40(FP), DI
	MOVQ bStep+64(FP), AX
	MOVQ c_base+72(FP), DX
	MOVQ ldc+96(FP), R8
	SHLQ $3, R9
	SHLQ $3, AX
	SHLQ $3, R8
	LEAQ (R9)(R9*2), BX               // 3·lda bytes
	LEAQ (SI)(BX*1), R10
	LEAQ (R10)(BX*1), R11
	LEAQ (R11)(BX*1), R12
	LEAQ (R12)(BX*1), R13

	VPXORQ Z0, Z0, Z0
	VPXORQ Z1, Z1, Z1
	VPXORQ Z2, Z2, Z2
	VPXORQ Z3, Z3, Z3
	VPXORQ Z4, Z4, Z4
	VPXORQ Z5, Z5, Z5
	VPXORQ Z6, Z6, Z6
	VPXORQ Z7, Z7, Z7
	VPXORQ Z8, Z8, Z8
	VPXORQ Z9, Z9, Z9
	VPXORQ Z10, Z10, Z10
	VPXORQ Z11, Z11, Z11
	VPXORQ Z12, Z12, Z12
	VPXORQ Z13, Z13, Z13
	VPXORQ Z14, Z14, Z14
	VPXORQ Z15, Z15, Z15
	VPXORQ Z16, Z16, Z16
	VPXORQ Z17, Z17, Z17
	VPXORQ Z18, Z18, Z18
	VPXORQ Z19, Z19, Z19
	VPXORQ Z20, Z20, Z20
	VPXORQ Z21, Z21, Z21
	VPXORQ Z22, Z22, Z22
	VPXORQ Z23, Z23, Z23
	VPXORQ Z24, Z24, Z24
	VPXORQ Z25, Z25, Z25
	VPXORQ Z26, Z26, Z26
	VPXORQ Z27, Z27, Z27

	MOVQ CX, BX
	SHRQ $2, BX
	JZ   tailD512

loopD512:
	STEPD512(0)
	STEPD512(8)
	STEPD512(16)
	STEPD512(24)
	ADDQ $32, SI
	ADDQ $32, R10
	ADDQ $32, R11
	ADDQ $32, R12
	ADDQ $32, R13
	DECQ BX
	JNZ  loopD512

tailD512:
	ANDQ $3, CX
	JZ   updateD512

loop1D512:
	STEPD512(0)
	ADDQ $8, SI
	ADDQ $8, R10
	ADDQ $8, R11
	ADDQ $8, R12
	ADDQ $8, R13
	DECQ CX
	JNZ  loop1D512

updateD512:
	VBROADCASTSD alpha+104(FP), Z30
	VBROADCASTSD beta+112(FP), Z31
	MOVQ         beta+112(FP), AX
	SHLQ         $1, AX               // drop the sign: zero for +0 and -0
	JZ           storeD512

	UPDATE512(Z0, Z1)
	UPDATE512(Z2, Z3)
	UPDATE512(Z4, Z5)
	UPDATE512(Z6, Z7)
	UPDATE512(Z8, Z9)
	UPDATE512(Z10, Z11)
	UPDATE512(Z12, Z13)
	UPDATE512(Z14, Z15)
	UPDATE512(Z16, Z17)
	UPDATE512(Z18, Z19)
	UPDATE512(Z20, Z21)
	UPDATE512(Z22, Z23)
	UPDATE512(Z24, Z25)
	UPDATE512(Z26, Z27)
	VZEROUPPER
	RET

storeD512:
	STORE512(Z0, Z1)
	STORE512(Z2, Z3)
	STORE512(Z4, Z5)
	STORE512(Z6, Z7)
	STORE512(Z8, Z9)
	STORE512(Z10, Z11)
	STORE512(Z12, Z13)
	STORE512(Z14, Z15)
	STORE512(Z16, Z17)
	STORE512(Z18, Z19)
	STORE512(Z20, Z21)
	STORE512(Z22, Z23)
	STORE512(Z24, Z25)
	STORE512(Z26, Z27)
	VZEROUPPER
	RET

// func gemmKernel6x8AVX2(k int, a []float64, aStep int, b []float64, bStep int, c []float64, ldc int, alpha, beta float64)
TEXT ·gemmKernel6x8AVX2(SB), NOSPLIT, $0-120
	MOVQ k+0(FP), CX
	MOVQ a_base+8(FP), SI
	MOVQ aStep+32(FP), R9
	MOVQ b_base+40(FP), DI
	MOVQ bStep+64(FP), R10
	MOVQ c_base+72(FP), DX
	MOVQ ldc+96(FP), R8
	SHLQ $3, R9
	SHLQ $3, R10
	SHLQ $3, R8

	VXORPD Y0, Y0, Y0
	VXORPD Y1, Y1, Y1
	VXORPD Y2, Y2, Y2
	VXORPD Y3, Y3, Y3
	VXORPD Y4, Y4, Y4
	VXORPD Y5, Y5, Y5
	VXORPD Y6, Y6, Y6
	VXORPD Y7, Y7, Y7
	VXORPD Y8, Y8, Y8
	VXORPD Y9, Y9, Y9
	VXORPD Y10, Y10, Y10
	VXORPD Y11, Y11, Y11

	MOVQ CX, BX
	SHRQ $2, BX
	JZ   tailP256

loopP256:
	STEP256
	STEP256
	STEP256
	STEP256
	DECQ BX
	JNZ  loopP256

tailP256:
	ANDQ $3, CX
	JZ   updateP256

loop1P256:
	STEP256
	DECQ CX
	JNZ  loop1P256

updateP256:
	VBROADCASTSD alpha+104(FP), Y14
	VBROADCASTSD beta+112(FP), Y15
	MOVQ         beta+112(FP), AX
	SHLQ         $1, AX               // drop the sign: zero for +0 and -0
	JZ           storeP256

	UPDATE256(Y0, Y1)
	UPDATE256(Y2, Y3)
	UPDATE256(Y4, Y5)
	UPDATE256(Y6, Y7)
	UPDATE256(Y8, Y9)
	UPDATE256(Y10, Y11)
	VZEROUPPER
	RET

storeP256:
	STORE256(Y0, Y1)
	STORE256(Y2, Y3)
	STORE256(Y4, Y5)
	STORE256(Y6, Y7)
	STORE256(Y8, Y9)
	STORE256(Y10, Y11)
	VZEROUPPER
	RET

// func gemmKernel6x8AVX2Direct(k int, a []float64, lda int, b []float64, bStep int, c []float64, ldc int, alpha, beta float64)
TEXT ·gemmKernel6x8AVX2Direct(SB), NOSPLIT, $0-120
	MOVQ k+0(FP), CX
	MOVQ a_base+8(FP), SI
	MOVQ lda+32(FP), R9
	MOVQ b_base+40(FP), DI
	MOVQ bStep+64(FP), AX
	MOVQ c_base+72(FP), DX
	MOVQ ldc+96(FP), R8
	SHLQ $3, R9
	SHLQ $3, AX
	SHLQ $3, R8
	LEAQ (R9)(R9*2), BX               // 3·lda bytes
	LEAQ (SI)(BX*1), R10

	VXORPD Y0, Y0, Y0
	VXORPD Y1, Y1, Y1
	VXORPD Y2, Y2, Y2
	VXORPD Y3, Y3, Y3
	VXORPD Y4, Y4, Y4
	VXORPD Y5, Y5, Y5
	VXORPD Y6, Y6, Y6
	VXORPD Y7, Y7, Y7
	VXORPD Y8, Y8, Y8
	VXORPD Y9, Y9, Y9
	VXORPD Y10, Y10, Y10
	VXORPD Y11, Y11, Y11

	MOVQ CX, BX
	SHRQ $2, BX
	JZ   tailD256

loopD256:
	STEPD256(0)
	STEPD256(8)
	STEPD256(16)
	STEPD256(24)
	ADDQ $32, SI
	ADDQ $32, R10
	DECQ BX
	JNZ  loopD256

tailD256:
	ANDQ $3, CX
	JZ   updateD256

loop1D256:
	STEPD256(0)
	ADDQ $8, SI
	ADDQ $8, R10
	DECQ CX
	JNZ  loop1D256

updateD256:
	VBROADCASTSD alpha+104(FP), Y14
	VBROADCASTSD beta+112(FP), Y15
	MOVQ         beta+112(FP), AX
	SHLQ         $1, AX               // drop the sign: zero for +0 and -0
	JZ           storeD256

	UPDATE256(Y0, Y1)
	UPDATE256(Y2, Y3)
	UPDATE256(Y4, Y5)
	UPDATE256(Y6, Y7)
	UPDATE256(Y8, Y9)
	UPDATE256(Y10, Y11)
	VZEROUPPER
	RET

storeD256:
	STORE256(Y0, Y1)
	STORE256(Y2, Y3)
	STORE256(Y4, Y5)
	STORE256(Y6, Y7)
	STORE256(Y8, Y9)
	STORE256(Y10, Y11)
	VZEROUPPER
	RET

// func packRowsAVX512(dst []float64, dstStep int, src []float64, srcStep int, w, width, k int)
// For p < k: dst[p·dstStep : p·dstStep+width] = src[p·srcStep : p·srcStep+w]
// followed by width−w zeros; 1 ≤ w ≤ width ≤ 16, width ≤ dstStep,
// dstStep + width ≥ 16, k ≥ 1.
// Masked loads read only the w values. Masked stores are slow on some
// CPUs (AMD Zen), so every row but the last is stored whole, 16 values:
// what spills past width lands in the next row, which is written after it;
// the last row is stored with a mask, so nothing past it is touched.
TEXT ·packRowsAVX512(SB), NOSPLIT, $0-88
	MOVQ dst_base+0(FP), DI
	MOVQ dstStep+24(FP), R8
	MOVQ src_base+32(FP), SI
	MOVQ srcStep+56(FP), R9
	MOVQ w+64(FP), CX
	MOVQ k+80(FP), BX
	SHLQ $3, R8
	SHLQ $3, R9

	MOVQ $1, AX                       // K1, K2: the w values to load
	SHLQ CX, AX
	DECQ AX
	KMOVW AX, K1
	SHRQ $8, AX
	KMOVW AX, K2
	MOVQ width+72(FP), CX             // K3, K4: the width values of the last row
	MOVQ $1, AX
	SHLQ CX, AX
	DECQ AX
	KMOVW AX, K3
	SHRQ $8, AX
	KMOVW AX, K4

	DECQ BX                           // rows before the last
	JZ   packlast

packloop:
	VMOVUPD.Z (SI), K1, Z0
	VMOVUPD.Z 64(SI), K2, Z1
	VMOVUPD   Z0, (DI)
	VMOVUPD   Z1, 64(DI)
	ADDQ      R9, SI
	ADDQ      R8, DI
	DECQ      BX
	JNZ       packloop

packlast:
	VMOVUPD.Z (SI), K1, Z0
	VMOVUPD.Z 64(SI), K2, Z1
	VMOVUPD   Z0, K3, (DI)
	VMOVUPD   Z1, K4, 64(DI)
	VZEROUPPER
	RET

// func packTransAVX512(dst []float64, src []float64, idx []int64, w, k int)
// Packs a transposed panel: dst[p·16 + j] = src[j·ld + p] for j < w and
// 0 for w ≤ j < 16, p < k; idx[j] = j·ld·8 (byte offsets of the 16 rows),
// 1 ≤ w ≤ 16. Two masked gathers per step; gathers clear their mask, so
// it is set again each step.
TEXT ·packTransAVX512(SB), NOSPLIT, $0-88
	MOVQ    dst_base+0(FP), DI
	MOVQ    src_base+24(FP), SI
	MOVQ    idx_base+48(FP), DX
	MOVQ    w+72(FP), CX
	MOVQ    k+80(FP), BX
	VMOVDQU64 (DX), Z2
	VMOVDQU64 64(DX), Z3
	MOVQ    $1, R10
	SHLQ    CX, R10
	DECQ    R10
	MOVQ    R10, R11
	ANDQ    $0xff, R10
	SHRQ    $8, R11

	TESTQ BX, BX
	JZ    transdone

transloop:
	KMOVW      R10, K1
	KMOVW      R11, K2
	VPXORQ     Z0, Z0, Z0
	VPXORQ     Z1, Z1, Z1
	VGATHERQPD (SI)(Z2*1), K1, Z0
	VGATHERQPD (SI)(Z3*1), K2, Z1
	VMOVUPD    Z0, (DI)
	VMOVUPD    Z1, 64(DI)
	ADDQ       $8, SI
	ADDQ       $128, DI
	DECQ       BX
	JNZ        transloop

transdone:
	VZEROUPPER
	RET
