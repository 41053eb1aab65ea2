package io.spikering.training;

/** Adam (Kingma & Ba) with bias correction, β1 = 0.9, β2 = 0.999, ε = 1e-7 (Keras' defaults), float state. */
public final class Adam
{
    static final double BETA1 = 0.9;
    static final double BETA2 = 0.999;
    static final double EPSILON = 1e-7;

    private final float[] m;
    private final float[] v;
    private long step;

    public Adam(final int size)
    {
        this.m = new float[size];
        this.v = new float[size];
    }

    /** One update of {@code params} with gradient {@code grad} scaled by {@code gradScale} (for clipping). */
    public void update(final float[] params, final float[] grad, final float gradScale, final double learningRate)
    {
        step++;
        final double c1 = 1.0 - Math.pow(BETA1, step);
        final double c2 = 1.0 - Math.pow(BETA2, step);
        final float b1 = (float)BETA1;
        final float b2 = (float)BETA2;
        final float lr = (float)(learningRate * Math.sqrt(c2) / c1);
        final float eps = (float)(EPSILON * Math.sqrt(c2));
        for (int i = 0; i < params.length; i++)
        {
            final float g = grad[i] * gradScale;
            final float mi = b1 * m[i] + (1.0f - b1) * g;
            final float vi = b2 * v[i] + (1.0f - b2) * g * g;
            m[i] = mi;
            v[i] = vi;
            params[i] -= lr * mi / ((float)Math.sqrt(vi) + eps);
        }
    }

    public float[] firstMoments()
    {
        return m;
    }

    public float[] secondMoments()
    {
        return v;
    }

    public long step()
    {
        return step;
    }

    void setStep(final long s)
    {
        step = s;
    }
}
