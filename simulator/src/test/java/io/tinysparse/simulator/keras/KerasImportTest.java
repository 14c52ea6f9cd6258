package io.tinysparse.simulator.keras;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tinysparse.simulator.engine.PaddingConvention;
import io.tinysparse.simulator.model.ModelSpec;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KerasImportTest {
    private static final ModelSpec SPEC = new ModelSpec(0.35, 32, 4, true, 1);

    @TempDir
    Path dir;

    @Test
    void smoke() throws Exception {
        Path file = new KerasMobileNetV2File(SPEC, true, 1).write(dir.resolve("m.h5"));
        KerasImport.Result r = KerasImport.read(file, null, 10, 1);
        System.out.println("diff " + r.dl4jDifference() + " " + r.network() + " " + r.kerasVersion() + " " + r.backend());
        assertEquals(SPEC, r.network().spec());
        assertEquals(PaddingConvention.TF_SAME, r.network().paddingConvention());
        assertTrue(r.dl4jDifference() < 1e-4);
    }
}
