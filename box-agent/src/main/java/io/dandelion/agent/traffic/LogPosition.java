package io.dandelion.agent.traffic;

/**
 * How far the access log has been read.
 *
 * @param fileKey the file's identity (device and inode on Linux), which changes when the
 * log is rotated
 * @param offset the byte offset after the last line read
 * @param tail the last bytes before the offset, Base64-encoded: when they are no longer
 * there, the file was truncated and written again (copytruncate) even if it is as long
 */
record LogPosition(String fileKey, long offset, String tail) {

}
