package io.spikering.core.stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Background snapshots: the file equals a synchronous save of the same state, and write failures are not lost. */
class SnapshotStoreTest
{
    @TempDir
    Path tmp;

    private Path model() throws IOException
    {
        return RandomPredictors.write(RandomPredictors.random(8, 12, 16, 2, 8.0, true, 3), tmp.resolve("m.safetensors"));
    }

    private static void drive(final StreamModel model, final int steps)
    {
        for (int i = 0; i < steps; i++)
        {
            model.step(Math.sin(0.1 * i));
        }
    }

    @Test
    void aBackgroundSnapshotIsTheSameFileAsASynchronousOneAndRestoresTheSameContinuation() throws IOException
    {
        final Path file = model();
        final SnapshotStore sync = new SnapshotStore(tmp.resolve("sync"));
        final SnapshotStore background = new SnapshotStore(tmp.resolve("background"));
        final SnapshotStore.Position position = new SnapshotStore.Position(137, 0x11, 0x22, "sha");
        try (StreamModel m = StreamModel.open(file, 0, -1, "fused"))
        {
            drive(m, 137);
            sync.save(position, m);
            assertTrue(background.saveInBackground(position, m));
            drive(m, 50); // the state may change at once: the snapshot was serialized before saveInBackground returned
            background.awaitBackground();
            assertFalse(background.writing());
        }
        background.close();
        assertArrayEquals(Files.readAllBytes(sync.file()), Files.readAllBytes(background.file()));
        try (StreamModel a = StreamModel.open(file, 0, -1, "fused"); StreamModel b = StreamModel.open(file, 0, -1, "fused"))
        {
            assertEquals(position, sync.load(a, "sha"));
            assertEquals(position, background.load(b, "sha"));
            for (int i = 0; i < 40; i++)
            {
                assertArrayEquals(a.step(0.3 * i).clone(), b.step(0.3 * i).clone());
            }
        }
    }

    @Test
    void aFailedBackgroundWriteIsReportedByTheNextCallNamingTheDirectory() throws IOException
    {
        final Path dir = tmp.resolve("snaps");
        final SnapshotStore store = new SnapshotStore(dir);
        try (StreamModel m = StreamModel.open(model(), 0, -1, "fused"))
        {
            Files.delete(dir);
            Files.writeString(dir, "not a directory");
            assertTrue(store.saveInBackground(new SnapshotStore.Position(1, 0, 0, "sha"), m));
            final IOException e = assertThrows(IOException.class, store::awaitBackground);
            assertTrue(e.getMessage().startsWith("background snapshot write to " + dir + " failed"), e.getMessage());
            store.close();
        }
    }
}
