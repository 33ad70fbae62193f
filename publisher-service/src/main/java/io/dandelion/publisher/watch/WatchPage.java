package io.dandelion.publisher.watch;

import org.springframework.web.util.HtmlUtils;

/**
 * The HTML of the viewer page. All behaviour is in {@code watch.js}; the page only names
 * the stream, its playlist and the publisher's public key (which checks the signed
 * segment manifest) in {@code data-} attributes, so no inline script is needed and every
 * value written into the markup goes through {@link HtmlUtils#htmlEscape}.
 */
final class WatchPage {

	// URLs are relative to /watch/{stream}, so the page also works behind a path prefix.
	private static final String TEMPLATE = """
			<!DOCTYPE html>
			<html lang="en">
			<head>
			<meta charset="utf-8">
			<meta name="viewport" content="width=device-width, initial-scale=1">
			<title>{title}</title>
			<link rel="stylesheet" href="watch.css">
			<script src="hls.min.js" defer></script>
			<script src="watch.js" defer></script>
			</head>
			<body>
			<main class="dandelion-player">
			<!-- muted: browsers only start playback without a click when the sound is off -->
			<video class="dandelion-video" data-dandelion-src="{playlist}" data-dandelion-stream="{stream}"
			  data-dandelion-key="{key}" muted autoplay playsinline controls></video>
			<noscript>This page plays the stream with hls.js, which needs JavaScript.
			The playlist is <a href="{playlist}">{playlist}</a>.</noscript>
			</main>
			</body>
			</html>
			""";

	private WatchPage() {
	}

	/**
	 * The page playing one stream.
	 * @param stream the stream, already validated
	 * @param publicKey the publisher's Ed25519 public key, unpadded Base64url
	 * @return the HTML document
	 */
	static String render(StreamName stream, String publicKey) {
		String playlist = "../live/" + stream.value() + "/index.m3u8";
		return TEMPLATE.replace("{title}", escape(stream.value() + " · Dandelion"))
			.replace("{playlist}", escape(playlist))
			.replace("{stream}", escape(stream.value()))
			.replace("{key}", escape(publicKey));
	}

	private static String escape(String text) {
		return HtmlUtils.htmlEscape(text, "UTF-8");
	}

}
