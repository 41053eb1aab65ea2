package io.spikering.training;

/**
 * tanh over float arrays as a rational function that C2 auto-vectorises (≈ 0.6 ns per value on AVX-512 against
 * ≈ 35 ns for {@link Math#tanh}, which JDK 17 runs as native fdlibm code). The coefficients are Eigen's
 * {@code generic_fast_tanh_float} (a [13/6] minimax rational on x clamped to ±7.9053111, where it reaches 1 in
 * float); |error| ≤ 5e-7 against {@link Math#tanh} (FloatTanhTest; 4.1e-7 measured), i.e. about 3 float ulps of 1.
 */
final class FloatTanh
{
    static final float CLAMP = 7.90531110763549805f;
    static final float P0 = -2.76076847742355e-16f;
    static final float P1 = 2.00018790482477e-13f;
    static final float P2 = -8.60467152213735e-11f;
    static final float P3 = 5.12229709037114e-08f;
    static final float P4 = 1.48572235717979e-05f;
    static final float P5 = 6.37261928875436e-04f;
    static final float P6 = 4.89352455891786e-03f;
    static final float Q0 = 1.19825839466702e-06f;
    static final float Q1 = 1.18534705686654e-04f;
    static final float Q2 = 2.26843463243900e-03f;
    static final float Q3 = 4.89352518554385e-03f;

    private FloatTanh()
    {
    }

    /** dst[dstOff + j] = tanh(src[srcOff + j]) for j &lt; n; src and dst may be the same array only at the same offset. */
    static void apply(final float[] src, final int srcOff, final float[] dst, final int dstOff, final int n)
    {
        // two passes: C2 vectorises the clamp and the rational separately, but not both in one loop
        for (int j = 0; j < n; j++)
        {
            dst[dstOff + j] = Math.max(-CLAMP, Math.min(CLAMP, src[srcOff + j]));
        }
        for (int j = 0; j < n; j++)
        {
            final float x = dst[dstOff + j];
            final float x2 = x * x;
            float p = x2 * P0 + P1;
            p = x2 * p + P2;
            p = x2 * p + P3;
            p = x2 * p + P4;
            p = x2 * p + P5;
            p = x2 * p + P6;
            float q = x2 * Q0 + Q1;
            q = x2 * q + Q2;
            q = x2 * q + Q3;
            dst[dstOff + j] = x * p / q;
        }
    }
}
