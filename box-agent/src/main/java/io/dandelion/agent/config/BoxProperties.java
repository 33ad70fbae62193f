package io.dandelion.agent.config;

import io.dandelion.protocol.redis.RedisKeyLayout;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Positive;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * Settings of the box, bound from {@code box.*} (the original's {@code BOX_*} keys, see
 * {@link BoxConfigKeys}). Features take their settings from nested groups of it.
 *
 * @param serverIp IP the box reports in its replies; {@code BOX_SERVER_IP} also sets
 * {@code server.address}, the address the box binds to
 * @param clientIp static public IP of the box; empty or unset means detect it
 * @param serverProxyPort port of the TLS proxy in front of the box, advertised instead of
 * {@code server.port} when set
 * @param baseDirectory root of the stored files and home of the ID file
 * {@code box-id.txt}
 * @param pingEntranceFreq time between two EXCHANGE heartbeats sent to each entrance
 * @param entranceUrls the entrances' WebSocket URLs to register with first
 * @param store how pushed files are stored: limits, quotas and the TTL sweeper
 * @param serving how stored files are served to viewers
 * @param heartbeat how the box keeps in touch with entrances
 * @param sysinfo what the box says about its host
 * @param traffic how the box accounts for what its file server sent
 * @param redisKeyLayout how the box's ID starts its Redis keys
 * ({@code REDIS_KEY_LAYOUT}); {@code null} for the default: cluster on a Redis Cluster,
 * else original
 * @param security whose publish tickets the box accepts
 */
@ConfigurationProperties("box")
@Validated
public record BoxProperties(@DefaultValue("0.0.0.0") @NotBlank String serverIp, String clientIp,
		@Min(1) @Max(65535) Integer serverProxyPort, @DefaultValue("/tmp") @NotNull Path baseDirectory,
		@DefaultValue("5s") @NotNull Duration pingEntranceFreq, @DefaultValue List<URI> entranceUrls,
		@DefaultValue @Valid Store store, @DefaultValue @Valid Serving serving,
		@DefaultValue @Valid Heartbeat heartbeat, @DefaultValue @Valid Sysinfo sysinfo,
		@DefaultValue @Valid Traffic traffic, RedisKeyLayout redisKeyLayout, @DefaultValue @Valid Security security) {

	/**
	 * The file server's access log, read for traffic accounting: {@code access.log} in
	 * the {@link #runDirectory() run directory}, where the builtin server and the
	 * generated nginx configuration both write it.
	 * @return the path of the access log
	 */
	public Path accessLog() {
		return runDirectory().resolve("access.log");
	}

	/**
	 * Settings of the file store under {@code base-directory} ({@code box.store.*}).
	 *
	 * @param maxFrameSize largest binary file frame accepted, tags and header included
	 * ({@code BOX_MAX_FRAME_SIZE}); the WebSocket server refuses longer messages
	 * @param maxStorage most bytes of stored files kept in total
	 * ({@code BOX_MAX_STORAGE})
	 * @param maxStoragePerPublisher most bytes of stored files kept for one publisher
	 * ({@code BOX_MAX_STORAGE_PER_PUBLISHER}), so that one publisher cannot fill the
	 * store for all; unset means half of {@code maxStorage}, see
	 * {@link #publisherQuota()}
	 * @param minFreeDisk free space always left on the store's file system
	 * ({@code BOX_MIN_FREE_DISK})
	 * @param expireFilesFreq time between two sweeps for expired files
	 * ({@code BOX_EXPIRE_FILES_FREQ}); a file is deleted at most this long after it
	 * expires
	 * @param reconcileFilesFreq time between two reconciliations of the stored files with
	 * their expiry records in Redis ({@code BOX_RECONCILE_FILES_FREQ}), the first at
	 * start-up: records Redis lost are restored from the sidecars beside the files
	 * @param unrecordedFileTtl how long a file found with neither an expiry record nor a
	 * sidecar (stored by a box of an earlier version) is kept after it was last written
	 * ({@code BOX_UNRECORDED_FILE_TTL}); zero keeps it, as a file stored with TTL 0
	 */
	public record Store(@DefaultValue("64MB") @NotNull DataSize maxFrameSize,
			@DefaultValue("1GB") @NotNull DataSize maxStorage, DataSize maxStoragePerPublisher,
			@DefaultValue("256MB") @NotNull DataSize minFreeDisk,
			@DefaultValue("500ms") @NotNull Duration expireFilesFreq,
			@DefaultValue("10m") @NotNull Duration reconcileFilesFreq,
			@DefaultValue("0s") @NotNull Duration unrecordedFileTtl) {

		public Store {
			if (maxStoragePerPublisher != null && maxStoragePerPublisher.toBytes() <= 0) {
				throw new IllegalArgumentException(
						"box.store.max-storage-per-publisher (BOX_MAX_STORAGE_PER_PUBLISHER) "
								+ "must be positive, was " + maxStoragePerPublisher
								+ "; leave it unset for half of BOX_MAX_STORAGE");
			}
			if (maxFrameSize != null && (maxFrameSize.toBytes() < 1024 || maxFrameSize.toBytes() > Integer.MAX_VALUE)) {
				throw new IllegalArgumentException("box.store.max-frame-size must be between 1KB and 2GB");
			}
			if (expireFilesFreq != null && (expireFilesFreq.isNegative() || expireFilesFreq.isZero())) {
				throw new IllegalArgumentException("box.store.expire-files-freq must be positive");
			}
			if (reconcileFilesFreq != null && (reconcileFilesFreq.isNegative() || reconcileFilesFreq.isZero())) {
				throw new IllegalArgumentException(
						"box.store.reconcile-files-freq (BOX_RECONCILE_FILES_FREQ) must be positive");
			}
			if (unrecordedFileTtl != null && unrecordedFileTtl.isNegative()) {
				throw new IllegalArgumentException(
						"box.store.unrecorded-file-ttl (BOX_UNRECORDED_FILE_TTL) must not be negative");
			}
		}

		/**
		 * The most bytes one publisher's files may take:
		 * {@code max-storage-per-publisher}, else half of {@code max-storage}, so that no
		 * single publisher fills the store.
		 * @return the per-publisher quota
		 */
		public DataSize publisherQuota() {
			return (this.maxStoragePerPublisher != null) ? this.maxStoragePerPublisher
					: DataSize.ofBytes(this.maxStorage.toBytes() / 2);
		}

	}

	/**
	 * Settings of the web server viewers fetch stored files from ({@code box.serving.*}).
	 *
	 * @param fileServer who serves the files ({@code BOX_FILE_SERVER})
	 * @param dataPort port viewers fetch files from ({@code BOX_DATA_PORT}); 0 picks a
	 * free port in the builtin server (tests)
	 * @param nginxBinary nginx executable started in nginx mode ({@code NGINX_BINARY})
	 * @param runDirectory directory of nginx.conf, nginx's pid, temp files and logs, and
	 * {@code access.log} ({@code BOX_RUN_DIRECTORY}); empty means
	 * {@code <base-directory>/run}
	 * @param nginxUser the user, optionally followed by a group, that nginx started by a
	 * box running as root runs its worker processes as ({@code BOX_NGINX_USER}, the
	 * {@code user} directive of the generated nginx.conf); empty means nginx's default,
	 * {@code nobody}. Whoever it is must be able to enter every directory above the store
	 * and read it, which the box checks at start-up in nginx mode
	 */
	public record Serving(@DefaultValue("builtin") @NotNull FileServer fileServer,
			@DefaultValue("7072") @Min(0) @Max(65535) int dataPort, @DefaultValue("nginx") @NotBlank String nginxBinary,
			Path runDirectory, @Pattern(regexp = "(" + NGINX_USER + ")?",
					message = "must be a user name, optionally followed by a space and a group name") String nginxUser) {

		/** A user name and an optional group name, nothing nginx.conf would interpret. */
		static final String NGINX_USER = "[A-Za-z0-9._][A-Za-z0-9._-]*( [A-Za-z0-9._][A-Za-z0-9._-]*)?";

		/**
		 * The {@code user} directive's value, if one is configured.
		 * @return the user and optional group, or {@code null} for nginx's default
		 */
		public String nginxUserOrNull() {
			return (this.nginxUser != null && !this.nginxUser.isBlank()) ? this.nginxUser.strip() : null;
		}

	}

	/**
	 * Who serves the stored files on the data port.
	 */
	public enum FileServer {

		/** nginx, started and supervised by the box with a generated configuration. */
		NGINX,

		/** The box's own HTTP server. */
		BUILTIN,

		/** An nginx run by the operator; the box only writes its configuration. */
		EXTERNAL

	}

	/**
	 * The run directory: {@code serving.run-directory}, or {@code <base-directory>/run}.
	 * @return the directory, absolute and normalised
	 */
	public Path runDirectory() {
		Path configured = this.serving.runDirectory();
		Path directory = (configured != null && !configured.toString().isEmpty()) ? configured
				: this.baseDirectory.resolve("run");
		return directory.toAbsolutePath().normalize();
	}

	/**
	 * The root of the stored files, absolute and normalised.
	 * @return {@code base-directory}
	 */
	public Path storeRoot() {
		return this.baseDirectory.toAbsolutePath().normalize();
	}

	/**
	 * How the box keeps in touch with entrances.
	 *
	 * @param replyTimeout how long to wait for an entrance's answer to one EXCHANGE, and
	 * to connect
	 * @param backoffMin the first delay after a failed heartbeat; it doubles with each
	 * further failure
	 * @param backoffMax the longest delay between two attempts on an unreachable entrance
	 * @param forgetLearntAfter how long an entrance learnt from a reply may stay
	 * unreachable before it is forgotten (configured entrances are never forgotten)
	 * @param subprotocolRetry how long to use one connection per heartbeat with an
	 * entrance that did not accept the persistent subprotocol, before asking again
	 */
	public record Heartbeat(@DefaultValue("10s") @NotNull Duration replyTimeout,
			@DefaultValue("1s") @NotNull Duration backoffMin, @DefaultValue("30s") @NotNull Duration backoffMax,
			@DefaultValue("10m") @NotNull Duration forgetLearntAfter,
			@DefaultValue("5m") @NotNull Duration subprotocolRetry) {

	}

	/**
	 * What the box says about its host.
	 *
	 * @param uplinkMbps upload capacity of the household's Internet connection in Mbit/s,
	 * reported as {@code UPLINK-MBPS}
	 */
	public record Sysinfo(@DefaultValue("10") @Positive double uplinkMbps) {

	}

	/**
	 * How the box accounts for what its file server sent.
	 *
	 * @param pollInterval time between two looks at the access log
	 * @param batchSize the most traffic entries carried by one EXCHANGE
	 * @param maxPending the most entries kept waiting for an entrance; the oldest are
	 * dropped beyond it
	 */
	public record Traffic(@DefaultValue("1s") @NotNull Duration pollInterval,
			@DefaultValue("500") @Min(1) @Max(10000) int batchSize, @DefaultValue("100000") @Min(1) int maxPending) {

	}

	/**
	 * Whose permissions the box accepts ({@code box.security.*}); the mode, credential
	 * and viewer URL signing every node shares are {@code dandelion.security.*}.
	 *
	 * @param entrancePublicKeys the Ed25519 public keys, as unpadded Base64url, of the
	 * entrances whose publish tickets the box accepts ({@code ENTRANCE_PUBLIC_KEYS})
	 */
	public record Security(@DefaultValue List<String> entrancePublicKeys) {

	}

}
