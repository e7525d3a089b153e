#!/usr/bin/python3
"""Writes the Keras test fixtures by hand, in the Keras 2 HDF5 layout that model.save('x.h5')
produces, so no TensorFlow is needed: root attributes keras_version, backend and model_config
(JSON), and a model_weights group with layer_names and, per layer, weight_names and datasets.

  dense-iris.h5         Sequential: Dense 4->8 relu, Dense 8->3 softmax, with fixed weights
                        (the test recomputes its probabilities by hand).
  dense-iris-functional.h5  the same network as a functional Model (Input, then the two layers).
  layernorm-iris.h5     Sequential with LayerNormalization, which DL4J 1.0.0-M2.1 cannot import.

Needs Debian's python3-h5py (apt-get install -y python3-h5py). Run from this folder:
  /usr/bin/python3 make_fixtures.py   (Debian's interpreter, where python3-h5py installs)
"""
import json

import h5py
import numpy as np


def dense(name, units, activation, input_dim=None):
    config = {
        "name": name,
        "trainable": True,
        "dtype": "float32",
        "units": units,
        "activation": activation,
        "use_bias": True,
        "kernel_initializer": {"class_name": "GlorotUniform", "config": {"seed": None}},
        "bias_initializer": {"class_name": "Zeros", "config": {}},
        "kernel_regularizer": None,
        "bias_regularizer": None,
        "activity_regularizer": None,
        "kernel_constraint": None,
        "bias_constraint": None,
    }
    if input_dim is not None:
        config["batch_input_shape"] = [None, input_dim]
    return {"class_name": "Dense", "config": config}


def layer_norm(name):
    return {
        "class_name": "LayerNormalization",
        "config": {
            "name": name,
            "trainable": True,
            "dtype": "float32",
            "axis": [1],
            "epsilon": 0.001,
            "center": True,
            "scale": True,
            "beta_initializer": {"class_name": "Zeros", "config": {}},
            "gamma_initializer": {"class_name": "Ones", "config": {}},
        },
    }


def functional(layers):
    """A functional Model config chaining the layers after an InputLayer of 4 features."""
    chained = [{
        "name": "input_1",
        "class_name": "InputLayer",
        "config": {"batch_input_shape": [None, 4], "dtype": "float32", "sparse": False,
                   "name": "input_1"},
        "inbound_nodes": [],
    }]
    for layer in layers:
        config = dict(layer["config"])
        config.pop("batch_input_shape", None)
        chained.append({
            "name": config["name"],
            "class_name": layer["class_name"],
            "config": config,
            "inbound_nodes": [[[chained[-1]["name"], 0, 0, {}]]],
        })
    return {
        "class_name": "Model",
        "config": {
            "name": "model",
            "layers": chained,
            "input_layers": [["input_1", 0, 0]],
            "output_layers": [[chained[-1]["name"], 0, 0]],
        },
    }


def write(path, layers, weights, model_config=None):
    """layers: Keras layer configs; weights: {layer name: [(weight name, array), ...]}."""
    if model_config is None:
        model_config = {"class_name": "Sequential",
                        "config": {"name": "sequential", "layers": layers}}
    else:
        layers = model_config["config"]["layers"]
    with h5py.File(path, "w") as f:
        f.attrs["keras_version"] = b"2.4.0"
        f.attrs["backend"] = b"tensorflow"
        f.attrs["model_config"] = json.dumps(model_config).encode("utf8")
        root = f.create_group("model_weights")
        names = [layer["config"]["name"] for layer in layers]
        root.attrs["layer_names"] = np.array([n.encode("utf8") for n in names])
        root.attrs["backend"] = b"tensorflow"
        root.attrs["keras_version"] = b"2.4.0"
        for name in names:
            group = root.create_group(name)
            pairs = weights.get(name, [])
            group.attrs["weight_names"] = np.array(
                [("%s/%s:0" % (name, w)).encode("utf8") for w, _ in pairs])
            inner = group.create_group(name) if pairs else None
            for w, value in pairs:
                inner.create_dataset(w + ":0", data=np.asarray(value, dtype=np.float32))


def main():
    # Fixed, non-symmetric weights: kernel[i][j] of Dense 4->8 and 8->3 (Keras: [inputs, units]).
    k1 = [[round(0.1 * ((3 * i + 5 * j) % 7) - 0.3, 2) for j in range(8)] for i in range(4)]
    b1 = [round(0.05 * (j - 3), 2) for j in range(8)]
    k2 = [[round(0.2 * ((2 * i + j) % 5) - 0.4, 2) for j in range(3)] for i in range(8)]
    b2 = [0.1, -0.1, 0.0]
    write(
        "dense-iris.h5",
        [dense("dense", 8, "relu", input_dim=4), dense("dense_1", 3, "softmax")],
        {"dense": [("kernel", k1), ("bias", b1)], "dense_1": [("kernel", k2), ("bias", b2)]},
    )
    dense_layers = [dense("dense", 8, "relu", input_dim=4), dense("dense_1", 3, "softmax")]
    write(
        "dense-iris-functional.h5",
        dense_layers,
        {"dense": [("kernel", k1), ("bias", b1)], "dense_1": [("kernel", k2), ("bias", b2)]},
        model_config=functional(dense_layers),
    )
    write(
        "layernorm-iris.h5",
        [dense("dense", 8, "relu", input_dim=4), layer_norm("layer_normalization"),
         dense("dense_1", 3, "softmax")],
        {
            "dense": [("kernel", k1), ("bias", b1)],
            "layer_normalization": [("gamma", [1.0] * 8), ("beta", [0.0] * 8)],
            "dense_1": [("kernel", k2), ("bias", b2)],
        },
    )
    print(json.dumps({"k1": k1, "b1": b1, "k2": k2, "b2": b2}))


if __name__ == "__main__":
    main()
