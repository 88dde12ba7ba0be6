#include "textflag.h"

// Micro-kernels for the packed GEMM; see microKernel in kernel.go for the
// contract. Arguments: k, a, b, c (slices), ldc, alpha, beta. Registers:
// SI walks the A micro-panel, DI the B micro-panel, DX the rows of C,
// R8 is ldc in bytes, CX and BX count steps of k.

// ---- AVX-512F, 14×16 tile: accumulators Z0..Z27 (row r in Z2r, Z2r+1),
// B's row in Z28, Z29, broadcasts of A in Z30, Z31.

#define ROW512(ao, x, acc0, acc1) \
	VBROADCASTSD ao(SI), x; \
	VFMADD231PD  Z28, x, acc0; \
	VFMADD231PD  Z29, x, acc1

#define STEP512(ao, bo) \
	VMOVUPD bo(DI), Z28; \
	VMOVUPD bo+64(DI), Z29; \
	ROW512(ao, Z30, Z0, Z1); \
	ROW512(ao+8, Z31, Z2, Z3); \
	ROW512(ao+16, Z30, Z4, Z5); \
	ROW512(ao+24, Z31, Z6, Z7); \
	ROW512(ao+32, Z30, Z8, Z9); \
	ROW512(ao+40, Z31, Z10, Z11); \
	ROW512(ao+48, Z30, Z12, Z13); \
	ROW512(ao+56, Z31, Z14, Z15); \
	ROW512(ao+64, Z30, Z16, Z17); \
	ROW512(ao+72, Z31, Z18, Z19); \
	ROW512(ao+80, Z30, Z20, Z21); \
	ROW512(ao+88, Z31, Z22, Z23); \
	ROW512(ao+96, Z30, Z24, Z25); \
	ROW512(ao+104, Z31, Z26, Z27)

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

// func gemmKernel14x16AVX512(k int, a, b, c []float64, ldc int, alpha, beta float64)
TEXT ·gemmKernel14x16AVX512(SB), NOSPLIT, $0-104
	MOVQ k+0(FP), CX
	MOVQ a_base+8(FP), SI
	MOVQ b_base+32(FP), DI
	MOVQ c_base+56(FP), DX
	MOVQ ldc+80(FP), R8
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
	JZ   tail512

loop512:
	STEP512(0, 0)
	STEP512(112, 128)
	STEP512(224, 256)
	STEP512(336, 384)
	ADDQ $448, SI
	ADDQ $512, DI
	DECQ BX
	JNZ  loop512

tail512:
	ANDQ $3, CX
	JZ   update512

loop512one:
	STEP512(0, 0)
	ADDQ $112, SI
	ADDQ $128, DI
	DECQ CX
	JNZ  loop512one

update512:
	VBROADCASTSD alpha+88(FP), Z30
	VBROADCASTSD beta+96(FP), Z31
	MOVQ         beta+96(FP), AX
	SHLQ         $1, AX               // drop the sign: zero for +0 and -0
	JZ           store512

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

store512:
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

// ---- AVX2+FMA3, 6×8 tile: accumulators Y0..Y11 (row r in Y2r, Y2r+1),
// B's row in Y12, Y13, broadcasts of A in Y14, Y15.

#define ROW256(ao, x, acc0, acc1) \
	VBROADCASTSD ao(SI), x; \
	VFMADD231PD  Y12, x, acc0; \
	VFMADD231PD  Y13, x, acc1

#define STEP256(ao, bo) \
	VMOVUPD bo(DI), Y12; \
	VMOVUPD bo+32(DI), Y13; \
	ROW256(ao, Y14, Y0, Y1); \
	ROW256(ao+8, Y15, Y2, Y3); \
	ROW256(ao+16, Y14, Y4, Y5); \
	ROW256(ao+24, Y15, Y6, Y7); \
	ROW256(ao+32, Y14, Y8, Y9); \
	ROW256(ao+40, Y15, Y10, Y11)

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

// func gemmKernel6x8AVX2(k int, a, b, c []float64, ldc int, alpha, beta float64)
TEXT ·gemmKernel6x8AVX2(SB), NOSPLIT, $0-104
	MOVQ k+0(FP), CX
	MOVQ a_base+8(FP), SI
	MOVQ b_base+32(FP), DI
	MOVQ c_base+56(FP), DX
	MOVQ ldc+80(FP), R8
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
	JZ   tail256

loop256:
	STEP256(0, 0)
	STEP256(48, 64)
	STEP256(96, 128)
	STEP256(144, 192)
	ADDQ $192, SI
	ADDQ $256, DI
	DECQ BX
	JNZ  loop256

tail256:
	ANDQ $3, CX
	JZ   update256

loop256one:
	STEP256(0, 0)
	ADDQ $48, SI
	ADDQ $64, DI
	DECQ CX
	JNZ  loop256one

update256:
	VBROADCASTSD alpha+88(FP), Y14
	VBROADCASTSD beta+96(FP), Y15
	MOVQ         beta+96(FP), AX
	SHLQ         $1, AX               // drop the sign: zero for +0 and -0
	JZ           store256

	UPDATE256(Y0, Y1)
	UPDATE256(Y2, Y3)
	UPDATE256(Y4, Y5)
	UPDATE256(Y6, Y7)
	UPDATE256(Y8, Y9)
	UPDATE256(Y10, Y11)
	VZEROUPPER
	RET

store256:
	STORE256(Y0, Y1)
	STORE256(Y2, Y3)
	STORE256(Y4, Y5)
	STORE256(Y6, Y7)
	STORE256(Y8, Y9)
	STORE256(Y10, Y11)
	VZEROUPPER
	RET

// ---- Direct-A variants: the same kernels reading A in place instead of
// from a packed micro-panel, row r of the tile at a + r·lda (elements),
// step p at +8p bytes. Used for products whose A panels would be packed for
// only one or two micro-kernel calls (narrow C), where packing costs more
// than it saves. The arithmetic per element is the packed kernels'.
// Row pointers: SI (rows 0–2), R10 (3–5), R11 (6–8), R12 (9–11),
// R13 (12–13), each with +0, +lda, +2·lda through R9 = lda in bytes.

#define ROWD(mem, x, b0, b1, acc0, acc1) \
	VBROADCASTSD mem, x; \
	VFMADD231PD  b0, x, acc0; \
	VFMADD231PD  b1, x, acc1

#define STEPD512(ao, bo) \
	VMOVUPD bo(DI), Z28; \
	VMOVUPD bo+64(DI), Z29; \
	ROWD(ao(SI), Z30, Z28, Z29, Z0, Z1); \
	ROWD(ao(SI)(R9*1), Z31, Z28, Z29, Z2, Z3); \
	ROWD(ao(SI)(R9*2), Z30, Z28, Z29, Z4, Z5); \
	ROWD(ao(R10), Z31, Z28, Z29, Z6, Z7); \
	ROWD(ao(R10)(R9*1), Z30, Z28, Z29, Z8, Z9); \
	ROWD(ao(R10)(R9*2), Z31, Z28, Z29, Z10, Z11); \
	ROWD(ao(R11), Z30, Z28, Z29, Z12, Z13); \
	ROWD(ao(R11)(R9*1), Z31, Z28, Z29, Z14, Z15); \
	ROWD(ao(R11)(R9*2), Z30, Z28, Z29, Z16, Z17); \
	ROWD(ao(R12), Z31, Z28, Z29, Z18, Z19); \
	ROWD(ao(R12)(R9*1), Z30, Z28, Z29, Z20, Z21); \
	ROWD(ao(R12)(R9*2), Z31, Z28, Z29, Z22, Z23); \
	ROWD(ao(R13), Z30, Z28, Z29, Z24, Z25); \
	ROWD(ao(R13)(R9*1), Z31, Z28, Z29, Z26, Z27)

// func gemmKernel14x16AVX512Direct(k int, a []float64, lda int, b, c []float64, ldc int, alpha, beta float64)
TEXT ·gemmKernel14x16AVX512Direct(SB), NOSPLIT, $0-112
	MOVQ k+0(FP), CX
	MOVQ a_base+8(FP), SI
	MOVQ lda+32(FP), R9
	MOVQ b_base+40(FP), DI
	MOVQ c_base+64(FP), DX
	MOVQ ldc+88(FP), R8
	SHLQ $3, R8
	SHLQ $3, R9
	LEAQ (R9)(R9*2), AX               // 3·lda bytes
	LEAQ (SI)(AX*1), R10
	LEAQ (R10)(AX*1), R11
	LEAQ (R11)(AX*1), R12
	LEAQ (R12)(AX*1), R13

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
	STEPD512(0, 0)
	STEPD512(8, 128)
	STEPD512(16, 256)
	STEPD512(24, 384)
	ADDQ $32, SI
	ADDQ $32, R10
	ADDQ $32, R11
	ADDQ $32, R12
	ADDQ $32, R13
	ADDQ $512, DI
	DECQ BX
	JNZ  loopD512

tailD512:
	ANDQ $3, CX
	JZ   updateD512

loopD512one:
	STEPD512(0, 0)
	ADDQ $8, SI
	ADDQ $8, R10
	ADDQ $8, R11
	ADDQ $8, R12
	ADDQ $8, R13
	ADDQ $128, DI
	DECQ CX
	JNZ  loopD512one

updateD512:
	VBROADCASTSD alpha+96(FP), Z30
	VBROADCASTSD beta+104(FP), Z31
	MOVQ         beta+104(FP), AX
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

#define STEPD256(ao, bo) \
	VMOVUPD bo(DI), Y12; \
	VMOVUPD bo+32(DI), Y13; \
	ROWD(ao(SI), Y14, Y12, Y13, Y0, Y1); \
	ROWD(ao(SI)(R9*1), Y15, Y12, Y13, Y2, Y3); \
	ROWD(ao(SI)(R9*2), Y14, Y12, Y13, Y4, Y5); \
	ROWD(ao(R10), Y15, Y12, Y13, Y6, Y7); \
	ROWD(ao(R10)(R9*1), Y14, Y12, Y13, Y8, Y9); \
	ROWD(ao(R10)(R9*2), Y15, Y12, Y13, Y10, Y11)

// func gemmKernel6x8AVX2Direct(k int, a []float64, lda int, b, c []float64, ldc int, alpha, beta float64)
TEXT ·gemmKernel6x8AVX2Direct(SB), NOSPLIT, $0-112
	MOVQ k+0(FP), CX
	MOVQ a_base+8(FP), SI
	MOVQ lda+32(FP), R9
	MOVQ b_base+40(FP), DI
	MOVQ c_base+64(FP), DX
	MOVQ ldc+88(FP), R8
	SHLQ $3, R8
	SHLQ $3, R9
	LEAQ (R9)(R9*2), AX               // 3·lda bytes
	LEAQ (SI)(AX*1), R10

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
	STEPD256(0, 0)
	STEPD256(8, 64)
	STEPD256(16, 128)
	STEPD256(24, 192)
	ADDQ $32, SI
	ADDQ $32, R10
	ADDQ $256, DI
	DECQ BX
	JNZ  loopD256

tailD256:
	ANDQ $3, CX
	JZ   updateD256

loopD256one:
	STEPD256(0, 0)
	ADDQ $8, SI
	ADDQ $8, R10
	ADDQ $64, DI
	DECQ CX
	JNZ  loopD256one

updateD256:
	VBROADCASTSD alpha+96(FP), Y14
	VBROADCASTSD beta+104(FP), Y15
	MOVQ         beta+104(FP), AX
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
