package io.spikering.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainCommandTest
{
    @TempDir
    Path dir;

    @Test
    void badOptionsExitWithTwoBeforeLoadingData()
    {
        assertEquals(2, Main.run("train", "psmnist", "--evaluate-only"));
        assertEquals(2, Main.run("train", "psmnist", "--evaluate-only", "--model", dir.resolve("missing.safetensors").toString()));
        assertEquals(2, Main.run("train", "psmnist", "--resume"));
        assertEquals(2, Main.run("train", "psmnist", "--anneal", "sometimes"));
        assertEquals(2, Main.run("train", "psmnist", "--activation", "softplus", "--mnist", dir.toString()));
        assertEquals(2, Main.run("train", "psmnist", "--spiking-epochs", "-1", "--mnist", dir.toString()));
    }

    @Test
    void missingMnistSaysHowToFetchIt()
    {
        assertEquals(2, Main.run("train", "psmnist", "--mnist", dir.resolve("none").toString()));
    }
}
