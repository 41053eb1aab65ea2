package io.spikering.core.example;

import io.spikering.core.engine.OpCounter;
import io.spikering.core.engine.Simulator;
import io.spikering.core.lmu.LmuFile;
import io.spikering.core.lmu.LmuModelNetwork;
import io.spikering.core.lmu.LmuModelNetwork.MemoryMode;

import java.nio.file.Path;

/** Loads a model file, runs one psMNIST-shaped sequence through the event engine and prints the class and the work done. */
public final class QuickStart
{
    public static void main(final String[] args) throws Exception
    {
        final Path file = Path.of(args.length > 0 ? args[0] : "models/psmnist-lmu-hybrid.safetensors");
        final LmuFile model = LmuFile.load(file);                       // validated: shapes, values, memory matrices
        final LmuModelNetwork net = LmuModelNetwork.build(model, true, Double.NaN, MemoryMode.FILTER); // spiking, the file's dt
        final float[] pixels = new float[model.steps()];                // one value per step, e.g. pixel / 255
        for (int t = 0; t < pixels.length; t++)
        {
            pixels[t] = (t * 37 % 101) / 100f;
        }
        try (Simulator sim = new Simulator(net.network()))
        {
            final int prediction = net.run(sim, pixels, 0, new double[1]);   // seed 0: the quantizers' initial voltages
            System.out.println("class " + prediction + ", " + sim.ops().total(OpCounter.Op.SYNOPS) + " synaptic operations");
        }
    }
}
