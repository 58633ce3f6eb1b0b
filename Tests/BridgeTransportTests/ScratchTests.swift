import BridgeTransport
import Hummingbird
import HummingbirdTLS
import HummingbirdWebSocket
import NIOCore
import NIOSSL
import ServiceLifecycle
import Testing

@Test func scratch() {}
