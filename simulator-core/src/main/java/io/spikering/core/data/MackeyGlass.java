package io.spikering.core.data;

/**
 * The Mackey-Glass delay differential equation dx/dt = β x(t−τ) / (1 + x(t−τ)^n) − γ x(t) with a constant past,
 * integrated by classic RK4 on a fixed grid h = τ / stepsPerTau, the delayed values taken from the stored
 * trajectory by cubic Hermite interpolation (values and derivatives at grid points), and sampled at arbitrary
 * times by the same interpolation. Defaults are NeuroBench's (docs/mackey-glass.md).
 */
public final class MackeyGlass
{
    public static final double TAU = 17.0;
    public static final double N = 10.0;
    public static final double BETA = 0.2;
    public static final double GAMMA = 0.1;
    public static final double CONSTANT_PAST = 0.7206597;
    public static final double LYAPUNOV_TIME = 197.0;
    public static final int POINTS_PER_LYAPUNOV_TIME = 75;
    public static final int TRAIN_LYAPUNOV_TIMES = 10;
    public static final int TEST_LYAPUNOV_TIMES = 10;
    /** Default grid: h = 17 / 680 = 0.025 time units (convergence checked by halving, see the tests). */
    public static final int DEFAULT_STEPS_PER_TAU = 680;

    /**
     * NeuroBench's 14 series, {τ, Lyapunov time, constant past}: τ = 17..30 (NeuroBench's
     * neurobench/datasets/mackey_glass_parameters.csv, added in its commit b41f603).
     */
    private static final double[][] NEUROBENCH_SERIES = {
        {17, 197, 0.7206597}, {18, 138, 0.7744313}, {19, 315, 0.7783468}, {20, 131, 0.9225991}, {21, 191, 0.9479431},
        {22, 119, 0.5455960}, {23, 106, 0.8622247}, {24, 97, 0.3259660}, {25, 98, 0.8297825}, {26, 104, 1.0033490},
        {27, 112, 0.6491406}, {28, 119, 1.0957495}, {29, 131, 0.9256179}, {30, 139, 0.2713639}};
    /** The smallest and largest τ of NeuroBench's series. */
    public static final int MIN_TAU = 17;
    public static final int MAX_TAU = 30;

    private final double tau;
    private final double lyapunovTime;
    private final double n;
    private final double beta;
    private final double gamma;
    private final double past;
    private final int stepsPerTau;
    private final double h;
    private double[] x = new double[0];
    private double[] f = new double[0];
    private int steps;

    public MackeyGlass(final double tau, final double n, final double beta, final double gamma, final double constantPast,
        final int stepsPerTau)
    {
        this(tau, n, beta, gamma, constantPast, stepsPerTau, LYAPUNOV_TIME);
    }

    /** As above, with the series' Lyapunov time (sets the sampling interval, Lyapunov time / 75). */
    public MackeyGlass(final double tau, final double n, final double beta, final double gamma, final double constantPast,
        final int stepsPerTau, final double lyapunovTime)
    {
        if (!(lyapunovTime > 0) || !Double.isFinite(lyapunovTime))
        {
            throw new IllegalArgumentException("Lyapunov time must be positive and finite, got " + lyapunovTime);
        }
        if (!(tau > 0) || !Double.isFinite(tau) || !(n > 0) || !(beta > 0) || !(gamma > 0) || !(constantPast > 0) ||
            !Double.isFinite(constantPast))
        {
            throw new IllegalArgumentException("Mackey-Glass parameters must be positive and finite: tau=" + tau + ", n=" + n +
                ", beta=" + beta + ", gamma=" + gamma + ", constant past=" + constantPast);
        }
        if (stepsPerTau < 4)
        {
            throw new IllegalArgumentException("stepsPerTau must be >= 4, got " + stepsPerTau);
        }
        this.tau = tau;
        this.lyapunovTime = lyapunovTime;
        this.n = n;
        this.beta = beta;
        this.gamma = gamma;
        this.past = constantPast;
        this.stepsPerTau = stepsPerTau;
        this.h = tau / stepsPerTau;
    }

    /** NeuroBench's parameters (τ=17, n=10, β=0.2, γ=0.1, constant past 0.7206597) on the default grid. */
    public static MackeyGlass neuroBench()
    {
        return new MackeyGlass(TAU, N, BETA, GAMMA, CONSTANT_PAST, DEFAULT_STEPS_PER_TAU);
    }

    /**
     * NeuroBench's series for {@code tau} in [17, 30] (its Lyapunov time and constant past; n, β, γ as for τ = 17), on
     * the grid h = 0.025 of the τ = 17 series (τ / h = 40 τ steps).
     */
    public static MackeyGlass neuroBench(final int tau)
    {
        if (tau < MIN_TAU || tau > MAX_TAU)
        {
            throw new IllegalArgumentException("NeuroBench's Mackey-Glass series have tau = " + MIN_TAU + ".." + MAX_TAU + ", got " + tau);
        }
        final double[] row = NEUROBENCH_SERIES[tau - MIN_TAU];
        return new MackeyGlass(tau, N, BETA, GAMMA, row[2], DEFAULT_STEPS_PER_TAU / (int)TAU * tau, row[1]);
    }

    /** The same equation on a grid {@code factor} times finer (for convergence checks). */
    public MackeyGlass refined(final int factor)
    {
        return new MackeyGlass(tau, n, beta, gamma, past, stepsPerTau * factor, lyapunovTime);
    }

    public double tau()
    {
        return tau;
    }

    public double lyapunovTime()
    {
        return lyapunovTime;
    }

    public double constantPast()
    {
        return past;
    }

    public double step()
    {
        return h;
    }

    /** NeuroBench's sampling interval: Lyapunov time / points per Lyapunov time (τ = 17: 197 / 75). */
    public double sampleInterval()
    {
        return lyapunovTime / POINTS_PER_LYAPUNOV_TIME;
    }

    /** x(t) for t ≥ 0 (integrating as far as needed); the constant past for t ≤ 0. */
    public double valueAt(final double t)
    {
        if (!(t >= 0) || !Double.isFinite(t))
        {
            return t < 0 ? past : failTime(t);
        }
        final double s = t / h;
        int k = (int)Math.floor(s);
        ensure(k + 2);
        double theta = s - k;
        return hermite(k, theta);
    }

    /** {@code count} samples x(t0 + i·dt), i = 0..count−1. */
    public double[] sample(final double t0, final double dt, final int count)
    {
        if (count < 0 || !(dt > 0) || !(t0 >= 0))
        {
            throw new IllegalArgumentException("sample: need t0 >= 0, dt > 0, count >= 0; got " + t0 + ", " + dt + ", " + count);
        }
        ensure((int)Math.ceil((t0 + dt * count) / h) + 2);
        final double[] out = new double[count];
        for (int i = 0; i < count; i++)
        {
            out[i] = valueAt(t0 + i * dt);
        }
        return out;
    }

    /**
     * NeuroBench's series for one repeat: 2 × 10 Lyapunov times × 75 points, sampled every Lyapunov time / 75 from
     * t = τ + startOffset (jitcdde's step_on_discontinuities leaves the integrator at t = τ; see the docs).
     */
    public double[] neuroBenchSeries(final double startOffset)
    {
        final int count = (TRAIN_LYAPUNOV_TIMES + TEST_LYAPUNOV_TIMES) * POINTS_PER_LYAPUNOV_TIME;
        return sample(tau + startOffset, sampleInterval(), count);
    }

    private double failTime(final double t)
    {
        throw new IllegalArgumentException("time must be finite, got " + t);
    }

    private double delayed(final double time)
    {
        // time = grid time − τ (+ h/2): exactly on the grid or halfway between two grid points
        if (time <= 0)
        {
            return past;
        }
        final double s = time / h;
        final int k = (int)Math.floor(s + 1e-9);
        final double theta = Math.max(0.0, s - k);
        return theta < 1e-9 ? x[k] : hermite(k, theta);
    }

    private double hermite(final int k, final double theta)
    {
        if (theta == 0.0)
        {
            return x[k];
        }
        final double t2 = theta * theta;
        final double t3 = t2 * theta;
        final double h00 = 2 * t3 - 3 * t2 + 1;
        final double h10 = t3 - 2 * t2 + theta;
        final double h01 = -2 * t3 + 3 * t2;
        final double h11 = t3 - t2;
        return h00 * x[k] + h10 * h * f[k] + h01 * x[k + 1] + h11 * h * f[k + 1];
    }

    private double rhs(final double xNow, final double xDelayed)
    {
        return beta * xDelayed / (1.0 + Math.pow(xDelayed, n)) - gamma * xNow;
    }

    /** Integrates until grid point {@code last} exists. */
    private void ensure(final int last)
    {
        if (last < steps)
        {
            return;
        }
        if (last >= x.length)
        {
            final int size = Math.max(last + 1, Math.max(1024, x.length * 2));
            x = java.util.Arrays.copyOf(x, size);
            f = java.util.Arrays.copyOf(f, size);
        }
        if (steps == 0)
        {
            x[0] = past;
            f[0] = rhs(past, past);
            steps = 1;
        }
        while (steps <= last)
        {
            final int k = steps - 1;
            final double t = k * h;
            final double xk = x[k];
            final double dNow = delayed(t - tau);
            final double dMid = delayed(t - tau + 0.5 * h);
            final double dEnd = delayed(t - tau + h);
            final double k1 = rhs(xk, dNow);
            final double k2 = rhs(xk + 0.5 * h * k1, dMid);
            final double k3 = rhs(xk + 0.5 * h * k2, dMid);
            final double k4 = rhs(xk + h * k3, dEnd);
            final double next = xk + h / 6.0 * (k1 + 2 * k2 + 2 * k3 + k4);
            x[k + 1] = next;
            f[k + 1] = rhs(next, delayed(t + h - tau));
            steps++;
        }
    }

    /**
     * NeuroBench's sMAPE: 200 · mean(|ŷ − y| / (|ŷ| + |y|)), in percent (0..200); a 0/0 term makes the whole
     * result NaN in NeuroBench, which it then reports as 200 — we do the same.
     */
    public static double smape(final double[] predictions, final double[] targets)
    {
        if (predictions.length != targets.length || predictions.length == 0)
        {
            throw new IllegalArgumentException("smape: predictions and targets must have the same non-zero length, got " +
                predictions.length + " and " + targets.length);
        }
        double sum = 0;
        for (int i = 0; i < predictions.length; i++)
        {
            sum += Math.abs(predictions[i] - targets[i]) / (Math.abs(predictions[i]) + Math.abs(targets[i]));
        }
        final double s = 200.0 * sum / predictions.length;
        return Double.isNaN(s) ? 200.0 : s;
    }
}
