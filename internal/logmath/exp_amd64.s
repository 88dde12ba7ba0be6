#include "textflag.h"

// expAVX2 is math.Exp's FMA path (math/exp_amd64.s, avxfma) on four lanes,
// the same operations in the same order: see exp.go.

#define VEC(name, bits) DATA name<>+0(SB)/8, bits; DATA name<>+8(SB)/8, bits; DATA name<>+16(SB)/8, bits; DATA name<>+24(SB)/8, bits; GLOBL name<>(SB), RODATA, $32

VEC(expHi, $709.0)
VEC(expLog2e, $1.4426950408889634073599246810018920)
VEC(expLn2u, $0.69314718055966295651160180568695068359375)
VEC(expLn2l, $0.28235290563031577122588448175013436025525412068e-12)
VEC(expSixteenth, $0.0625)
VEC(expC8, $2.4801587301587301587e-5)
VEC(expC7, $1.9841269841269841270e-4)
VEC(expC6, $1.3888888888888888889e-3)
VEC(expC5, $8.3333333333333333333e-3)
VEC(expC4, $4.1666666666666666667e-2)
VEC(expC3, $1.6666666666666666667e-1)
VEC(expHalf, $0.5)
VEC(expOne, $1.0)
VEC(expTwo, $2.0)
VEC(expBias, $1023)
VEC(expBiasDenorm, $1022)
VEC(expMinus52, $-52)
VEC(expTiny, $0x0010000000000000)

// func expAVX2(dst, src *float64, n int) int
TEXT ·expAVX2(SB), NOSPLIT, $0-32
	MOVQ dst+0(FP), DI
	MOVQ src+8(FP), SI
	MOVQ n+16(FP), CX
	XORQ AX, AX
	VMOVUPD expHi<>(SB), Y15
	VPXOR   Y14, Y14, Y14
	VMOVUPD expBias<>(SB), Y13
	VMOVUPD expBiasDenorm<>(SB), Y12
	VMOVUPD expTiny<>(SB), Y11
	VMOVUPD expMinus52<>(SB), Y10

loop:
	CMPQ AX, CX
	JGE  done
	VMOVUPD (SI)(AX*8), Y0
	// Stop before a block with NaN or x > 709 (math.Exp's special cases).
	VCMPPD    $6, Y15, Y0, Y1 // !(x <= 709), true for NaN
	VMOVMSKPD Y1, DX
	TESTQ     DX, DX
	JNZ       done
	// k = round(x·log2 e); x −= k·ln2 (upper, then lower part).
	VMULPD       expLog2e<>(SB), Y0, Y1
	VCVTPD2DQY   Y1, X2
	VCVTDQ2PD    X2, Y1
	VFNMADD231PD expLn2u<>(SB), Y1, Y0
	VFNMADD231PD expLn2l<>(SB), Y1, Y0
	VMULPD       expSixteenth<>(SB), Y0, Y0
	// Taylor series.
	VMOVUPD     expC8<>(SB), Y1
	VFMADD213PD expC7<>(SB), Y0, Y1
	VFMADD213PD expC6<>(SB), Y0, Y1
	VFMADD213PD expC5<>(SB), Y0, Y1
	VFMADD213PD expC4<>(SB), Y0, Y1
	VFMADD213PD expC3<>(SB), Y0, Y1
	VFMADD213PD expHalf<>(SB), Y0, Y1
	VFMADD213PD expOne<>(SB), Y0, Y1
	VMULPD      Y1, Y0, Y0
	// Four squarings of 1 + y: (y + 2)·y, …
	VADDPD      expTwo<>(SB), Y0, Y1
	VMULPD      Y1, Y0, Y0
	VADDPD      expTwo<>(SB), Y0, Y1
	VMULPD      Y1, Y0, Y0
	VADDPD      expTwo<>(SB), Y0, Y1
	VMULPD      Y1, Y0, Y0
	VADDPD      expTwo<>(SB), Y0, Y1
	VFMADD213PD expOne<>(SB), Y1, Y0
	// fr·2^k: b = k + 1023; b > 0 scales by 2^k once; −52 ≤ b ≤ 0 by
	// 2^(k+1022) then 2^−1022, as math.Exp's denormal branch; b < −52 is 0.
	VPMOVSXDQ X2, Y2
	VPADDQ    Y13, Y2, Y2
	VPCMPGTQ  Y14, Y2, Y3 // b > 0
	VPADDQ    Y12, Y2, Y4
	VBLENDVPD Y3, Y2, Y4, Y5
	VPSLLQ    $52, Y5, Y5
	VBLENDVPD Y3, expOne<>(SB), Y11, Y6
	VMULPD    Y5, Y0, Y0
	VMULPD    Y6, Y0, Y0
	VPCMPGTQ  Y2, Y10, Y7 // b < −52
	VANDNPD   Y0, Y7, Y0
	VMOVUPD   Y0, (DI)(AX*8)
	ADDQ      $4, AX
	JMP       loop

done:
	VZEROUPPER
	MOVQ AX, ret+24(FP)
	RET
