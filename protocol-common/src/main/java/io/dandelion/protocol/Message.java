package io.dandelion.protocol;

/**
 * One JSON text message of the Dandelion WebSocket protocol. The kind of a message is
 * given on the wire by its {@code COMMAND} and {@code TYPE} fields; {@link MessageCodec}
 * picks the record from them.
 */
public sealed interface Message permits ExchangeRequest, ExchangeReply, SearchRequest, SearchReply, PublishRequest,
		PublishReply, ReportRequest, ReportReply, ErrorReply, StoredAck {

	/**
	 * The sender's ID, e.g. {@code box-3f2a…}; may be {@code null} only where the message
	 * allows it.
	 * @return the sender's ID
	 */
	String id();

}
