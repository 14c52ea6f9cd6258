package io.tinysparse.simulator.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tinysparse.core.hash.CanonicalJson;
import io.tinysparse.core.hash.ContentHash;
import io.tinysparse.simulator.pretrain.PretrainSpec;
import org.junit.jupiter.api.Test;

/**
 * The MobileNetV2 specs as every stored run, backbone and pinned search knows them: their
 * canonical JSON (part of every run id), its hash, the default backbone's spec hash, and a hash
 * of their layer tables (every convolution record, the blocks, the classifier), pinned from the
 * code as it was before the MBConv family was added. None of these may move.
 */
class MobileNetV2IdentityTest {

    /** Every field of every convolution, the blocks' structure and the classifier, as text. */
    static String tableText(LayerTable t) {
        StringBuilder s = new StringBuilder();
        for (ConvLayer c : t.convs()) {
            s.append(c).append('\n');
        }
        for (Block b : t.blocks()) {
            s.append(b.index()).append(' ').append(b.firstLayer()).append(' ').append(b.lastLayer()).append(' ')
                    .append(b.inChannels()).append(' ').append(b.outChannels()).append(' ').append(b.stride())
                    .append(' ').append(b.residual()).append('\n');
        }
        return s.append(t.classifier()).toString();
    }

    private static void pinned(ModelSpec spec, String json, String specHash, String tableHash) {
        assertEquals(json, CanonicalJson.write(spec), spec.label() + " canonical JSON");
        assertEquals(specHash, ContentHash.ofCanonicalJson(spec), spec.label() + " spec hash");
        assertEquals(tableHash, ContentHash.of(tableText(spec.layers())), spec.label() + " layer table");
    }

    @Test
    void mbv2W035PresetKeepsItsJsonHashAndTable() {
        pinned(ModelSpec.preset("mbv2-w0.35"),
                "{\"feature_mix\":false,\"first_block_expansion\":1,\"num_classes\":10,\"resolution\":128,"
                        + "\"width_multiplier\":0.35}",
                "bf15898991c34865a034de9026a7d6d41d84a154676caa90741b77c6c5863db0",
                "172b895e48c987d5a27c4c51d9ef2b5701a98c6ac453f62bf8aadac9e0aed160");
    }

    @Test
    void mbv2W10PresetKeepsItsJsonHashAndTable() {
        pinned(ModelSpec.preset("mbv2-w1.0"),
                "{\"feature_mix\":true,\"first_block_expansion\":1,\"num_classes\":1000,\"resolution\":224,"
                        + "\"width_multiplier\":1.0}",
                "d82c8fccf1e8f227bb44173aa9eed1f3e1c0bd0b963da46efbef44bae035848d",
                "3d78c7ab452c02c86b9b08d9d7363f8f7a40f59d1af83059bcb1d401bba8cf31");
    }

    @Test
    void pinnedSearchModelAndOtherWidthsKeepTheirJsonHashAndTable() {
        pinned(new ModelSpec(0.35, 32, 10, false, 1),
                "{\"feature_mix\":false,\"first_block_expansion\":1,\"num_classes\":10,\"resolution\":32,"
                        + "\"width_multiplier\":0.35}",
                "d76a478c42655e576085b6edba4c2c61be5bf9570c9304cba0bd66b38f9d6be7",
                "7e92717300bb8ffbbfcfd9d870e8c230686bb00972f8476dcd34ff92147e7ab9");
        pinned(new ModelSpec(0.5, 96, 2, false, 6),
                "{\"feature_mix\":false,\"first_block_expansion\":6,\"num_classes\":2,\"resolution\":96,"
                        + "\"width_multiplier\":0.5}",
                "dc1d14f972e36367446de9581381c3bd16bc05f1021a9c410bd0ff0c4b1cbad6",
                "625ae7ef35daa2592bcce6d7d1367aeb85961f3a3b4a23c6bcd2e52307d603d7");
        pinned(new ModelSpec(1.4, 64, 100, true, 1),
                "{\"feature_mix\":true,\"first_block_expansion\":1,\"num_classes\":100,\"resolution\":64,"
                        + "\"width_multiplier\":1.4}",
                "49da41a33141229edab497ed46de0028518d93a39eebdcc9517e6ec13eed3dc1",
                "897bbfa2e3eee7bb2f4a5456f45e8f6f389f346fe9c5983bbdea1fa92113d387");
    }

    @Test
    void defaultBackboneKeepsItsStoreAddress() {
        PretrainSpec d = PretrainSpec.defaults();
        assertEquals("pretrain-v1;model=mbv2-w0.35-nomix@128/10;width=0.35;dataset=fashion-mnist;samples=4000;"
                + "heldOut=1000;epochs=3.0;batch=32;lr=0.05;momentum=0.9;weightDecay=4.0E-5;warmup=0.05;seed=0;"
                + "shards=4", d.canonical());
        assertEquals("46001bca3681d77c1306294757c03bb5c40f70c508b19ce7fc23c2dcc899eb5c", d.hash());
    }
}
