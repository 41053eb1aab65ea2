package io.spikering.neuron;

/**
 * tanh with exactly the bits of {@link StrictMath#tanh} (and so of {@link Math#tanh} on JDK 17, which calls it), in
 * plain Java: fdlibm 5.3's algorithm (tanh from expm1: 1 − 2/(expm1(2|x|) + 2) for |x| ≥ 1, −t/(t + 2) with
 * t = expm1(−2|x|) below; expm1 by argument reduction x = k·ln2 + r and a degree-5 rational in r²), each double
 * operation as fdlibm performs it. JDK 17 runs StrictMath.tanh as native code behind a JNI call (≈ 35 ns a value,
 * two thirds of a parallel-LMU training step and half of an LMU inference); this inlines. {@link Activation#TANH} and the
 * trainers use it, so results do not depend on which tanh the JDK's {@link Math#tanh} happens to be. {@code FdlibmTanhTest} checks the bits against
 * StrictMath.tanh over every 61st float of the range where tanh is not trivial, the thresholds and random doubles.
 */
public final class FdlibmTanh
{
    public static final double LN2_HI = Double.longBitsToDouble(0x3FE62E42FEE00000L);
    public static final double LN2_LO = Double.longBitsToDouble(0x3DEA39EF35793C76L);
    public static final double INV_LN2 = Double.longBitsToDouble(0x3FF71547652B82FEL);
    public static final double Q1 = Double.longBitsToDouble(0xBFA11111111110F4L);
    public static final double Q2 = Double.longBitsToDouble(0x3F5A01A019FE5585L);
    public static final double Q3 = Double.longBitsToDouble(0xBF14CE199EAADBB7L);
    public static final double Q4 = Double.longBitsToDouble(0x3ED0CFCA86E65239L);
    public static final double Q5 = Double.longBitsToDouble(0xBE8AFDB76E09C32DL);
    private static final double TINY = 1.0e-300;

    private FdlibmTanh()
    {
    }

    public static double tanh(final double x)
    {
        final int jx = (int)(Double.doubleToRawLongBits(x) >>> 32);
        final int ix = jx & 0x7fffffff;
        if (ix >= 0x7ff00000)
        {
            return jx >= 0 ? 1.0 / x + 1.0 : 1.0 / x - 1.0; // ±1, NaN
        }
        final double z;
        if (ix < 0x40360000) // |x| < 22
        {
            if (ix < 0x3c800000) // |x| < 2^-55
            {
                return x * (1.0 + x);
            }
            if (ix >= 0x3ff00000) // |x| >= 1
            {
                final double t = expm1(2.0 * Math.abs(x));
                z = 1.0 - 2.0 / (t + 2.0);
            }
            else
            {
                final double t = expm1(-2.0 * Math.abs(x));
                z = -t / (t + 2.0);
            }
        }
        else
        {
            z = 1.0 - TINY;
        }
        return jx >= 0 ? z : -z;
    }

    /** fdlibm's expm1 for the arguments tanh passes (finite, |x| &lt; 44); larger ones follow the same code up to 709. */
    static double expm1(final double x0)
    {
        final int hx0 = (int)(Double.doubleToRawLongBits(x0) >>> 32);
        final boolean negative = hx0 < 0;
        final int hx = hx0 & 0x7fffffff;
        if (hx >= 0x4043687A) // |x| >= 56·ln2
        {
            if (hx >= 0x40862E42 || negative)
            {
                return StrictMath.expm1(x0); // overflow, or −1: not reached from tanh
            }
        }
        double x = x0;
        double c = 0.0;
        final int k;
        if (hx > 0x3fd62e42) // |x| > 0.5·ln2
        {
            final double hi;
            final double lo;
            if (hx < 0x3FF0A2B2) // and |x| < 1.5·ln2
            {
                if (!negative)
                {
                    hi = x - LN2_HI;
                    lo = LN2_LO;
                    k = 1;
                }
                else
                {
                    hi = x + LN2_HI;
                    lo = -LN2_LO;
                    k = -1;
                }
            }
            else
            {
                k = (int)(INV_LN2 * x + (negative ? -0.5 : 0.5));
                final double t = k;
                hi = x - t * LN2_HI;
                lo = t * LN2_LO;
            }
            x = hi - lo;
            c = (hi - x) - lo;
        }
        else if (hx < 0x3c900000) // |x| < 2^-54
        {
            return x;
        }
        else
        {
            k = 0;
        }
        final double hfx = 0.5 * x;
        final double hxs = x * hfx;
        final double r1 = 1.0 + hxs * (Q1 + hxs * (Q2 + hxs * (Q3 + hxs * (Q4 + hxs * Q5))));
        double t = 3.0 - r1 * hfx;
        double e = hxs * ((r1 - t) / (6.0 - x * t));
        if (k == 0)
        {
            return x - (x * e - hxs);
        }
        e = x * (e - c) - c;
        e -= hxs;
        if (k == -1)
        {
            return 0.5 * (x - e) - 0.5;
        }
        if (k == 1)
        {
            return x < -0.25 ? -2.0 * (e - (x + 0.5)) : 1.0 + 2.0 * (x - e);
        }
        if (k <= -2 || k > 56)
        {
            final double y = 1.0 - (e - x);
            return Double.longBitsToDouble(Double.doubleToRawLongBits(y) + ((long)k << 52)) - 1.0;
        }
        double y;
        if (k < 20)
        {
            t = Double.longBitsToDouble((long)(0x3ff00000 - (0x200000 >> k)) << 32); // 1 − 2^−k
            y = t - (e - x);
        }
        else
        {
            t = Double.longBitsToDouble((long)((0x3ff - k) << 20) << 32); // 2^−k
            y = x - (e + t);
            y += 1.0;
        }
        return Double.longBitsToDouble(Double.doubleToRawLongBits(y) + ((long)k << 52));
    }
}
