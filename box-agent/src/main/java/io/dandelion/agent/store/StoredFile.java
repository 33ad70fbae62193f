package io.dandelion.agent.store;

import java.nio.file.Path;

/**
 * A file now visible at its final path in the store.
 *
 * @param path where it is, absolute
 * @param size its length in bytes
 * @param sha256 the lowercase hex SHA-256 of its content
 */
public record StoredFile(Path path, long size, String sha256) {

}
