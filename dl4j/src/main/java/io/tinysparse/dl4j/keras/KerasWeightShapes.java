package io.tinysparse.dl4j.keras;

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
            Group g = file.openGroup(ROOT + "/" + layer);
            try {
                collect(g, shapes, 0);
            } finally {
                g.deallocate();
            }
        }
        return shapes;
    }

    private static void collect(Group g, Map<String, long[]> shapes, int depth) {
        for (long i = 0; i < g.getNumObjs(); i++) {
            String name = g.getObjnameByIdx(i).getString();
            int type = g.childObjType(name);
            if (type == hdf5.H5O_TYPE_GROUP && depth < 4) {
                Group child = g.openGroup(name);
                try {
                    collect(child, shapes, depth + 1);
                } finally {
                    child.deallocate();
                }
            } else if (type == hdf5.H5O_TYPE_DATASET) {
                DataSet d = g.openDataSet(name);
                DataSpace space = d.getSpace();
                try {
                    long[] dims = new long[space.getSimpleExtentNdims()];
                    space.getSimpleExtentDims(dims);
                    shapes.put(name.replaceFirst(":\\d+$", ""), dims);
                } finally {
                    space.deallocate();
                    d.deallocate();
                }
            }
        }
    }

    @Override
    public void close() {
        // deallocate (the destructor closes) on this thread, under DL4J's lock: left to JavaCPP's
        // deallocator thread, an HDF5 object would be destroyed concurrently with other HDF5 calls.
        synchronized (Hdf5Archive.LOCK_OBJECT) {
            file.deallocate();
        }
    }
}
