/**
 * The Dandelion wire protocol, shared by the entrance, the boxes and the publishers.
 */
package io.dandelion.protocol;
