package io.deeptrain.dataset;

/**
 * An image dataset in memory: its pixel block and, when the dataset comes with its own split, the
 * indices of that split (null otherwise, and a seeded stratified split is drawn per open).
 */
record ImageData(ImageBlock block, int[] fixedTrain, int[] fixedTest) {}
