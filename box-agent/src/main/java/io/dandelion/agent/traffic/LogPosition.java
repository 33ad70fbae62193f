package io.dandelion.agent.traffic;

/**
 * How far the access log has been read.
 *
 * @param fileKey the file's identity (device and inode on Linux), which changes when the
 * log is rotated
 * @param offset the byte offset after the last line read
 */
record LogPosition(String fileKey, long offset) {

}
