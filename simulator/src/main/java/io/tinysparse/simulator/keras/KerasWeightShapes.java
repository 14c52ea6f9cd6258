package io.tinysparse.simulator.keras;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.bytedeco.hdf5.DataSet;
import org.bytedeco.hdf5.DataSpace;
import org.bytedeco.hdf5.Group;
import org.bytedeco.hdf5.H5File;
import org.bytedeco.hdf5.global.hdf5;
import org.deeplearning4j.nn.modelimport.keras.Hdf5Archive;

/**
 * The shapes of the weights a Keras {@code .h5} file stores per layer
 * ({@code model_weights/<layer>/.../<name>:0}), read without reading the weights. The import
 * checks them itself because DL4J's Keras import copies a weight of the right size but the
 * wrong shape without complaint (measured: a {@code [1, 1, 32, 100]} kernel where the layer
 * needs {@code [1, 1, 32, 192]} was imported).
 */
final class KerasWeightShapes implements AutoCloseable {
    private static final String ROOT = "model_weights";

    private final H5File file;

    /** Opens {@code path} read-only (it is known to be HDF5). */
    KerasWeightShapes(Path path) {
        synchronized (Hdf5Archive.LOCK_OBJECT) {
            file = new H5File(path.toString(), hdf5.H5F_ACC_RDONLY());
        }
    }

    /**
     * The weights of {@code layer}: name without the {@code :N} suffix ({@code kernel},
     * {@code depthwise_kernel}, {@code gamma}, ...) to shape; empty when the layer has no group.
     */
    Map<String, long[]> of(String layer) {
        Map<String, long[]> shapes = new LinkedHashMap<>();
        synchronized (Hdf5Archive.LOCK_OBJECT) {
            if (!file.nameExists(ROOT) || !file.nameExists(ROOT + "/" + layer)) {
                return shapes;
            }
            try (Group g = file.openGroup(ROOT + "/" + layer)) {
                collect(g, shapes, 0);
            }
        }
        return shapes;
    }

    private static void collect(Group g, Map<String, long[]> shapes, int depth) {
        for (long i = 0; i < g.getNumObjs(); i++) {
            String name = g.getObjnameByIdx(i).getString();
            int type = g.childObjType(name);
            if (type == hdf5.H5O_TYPE_GROUP && depth < 4) {
                try (Group child = g.openGroup(name)) {
                    collect(child, shapes, depth + 1);
                }
            } else if (type == hdf5.H5O_TYPE_DATASET) {
                try (DataSet d = g.openDataSet(name); DataSpace space = d.getSpace()) {
                    long[] dims = new long[space.getSimpleExtentNdims()];
                    space.getSimpleExtentDims(dims);
                    shapes.put(name.replaceFirst(":\\d+$", ""), dims);
                }
            }
        }
    }

    @Override
    public void close() {
        synchronized (Hdf5Archive.LOCK_OBJECT) {
            file.close();
        }
    }
}
