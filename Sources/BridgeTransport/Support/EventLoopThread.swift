#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// A joinable POSIX thread that runs one event loop body.
///
/// The transport owns its threads directly (as swift-nio's event loops do) instead of borrowing threads from the
/// Swift concurrency pool: the C libraries block in `poll(2)` and must never occupy a cooperative thread.
final class EventLoopThread: @unchecked Sendable {
    // Written once by pthread_create before the object is shared; read by join/detach only.
    private var thread: pthread_t

    private final class Body {
        let run: () -> Void
        init(run: @escaping () -> Void) {
            self.run = run
        }
    }

    /// Starts a thread that runs `body` once.
    init(body: @escaping @Sendable () -> Void) {
        let context = Unmanaged.passRetained(Body(run: body)).toOpaque()
        #if canImport(Darwin)
            var created: pthread_t?
            let result = pthread_create(&created, nil, eventLoopThreadMain, context)
            precondition(result == 0 && created != nil, "pthread_create failed with \(result)")
            self.thread = created!
        #else
            var created = pthread_t()
            let result = pthread_create(&created, nil, eventLoopThreadMain, context)
            precondition(result == 0, "pthread_create failed with \(result)")
            self.thread = created
        #endif
    }

    /// Waits for the thread to return. Call at most once, and not together with ``detach()``.
    func join() {
        let result = pthread_join(self.thread, nil)
        precondition(result == 0, "pthread_join failed with \(result)")
    }

    /// Lets the thread release its resources on exit without being joined.
    func detach() {
        pthread_detach(self.thread)
    }

    fileprivate static func run(_ context: UnsafeMutableRawPointer) {
        let body = Unmanaged<Body>.fromOpaque(context).takeRetainedValue()
        body.run()
    }
}

#if canImport(Darwin)
    private func eventLoopThreadMain(_ context: UnsafeMutableRawPointer) -> UnsafeMutableRawPointer? {
        EventLoopThread.run(context)
        return nil
    }
#else
    private func eventLoopThreadMain(_ context: UnsafeMutableRawPointer?) -> UnsafeMutableRawPointer? {
        EventLoopThread.run(context!)
        return nil
    }
#endif
