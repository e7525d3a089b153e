/**
 * Generative models of images: variational autoencoders, GANs and diffusion models, built and
 * trained with SameDiff (their losses and samplers do not fit a layer stack), with the sample
 * quality measure (Fréchet distance in a reference classifier's feature space) every generative job
 * ends with.
 */
package io.deeptrain.generative;
