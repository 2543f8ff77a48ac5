import Foundation

/// A blocking queue of at most `capacity` items between one producer thread and one consumer thread
/// (the import and the full-coverage pipelines).
public final class BoundedQueue<T> {
    private var items: [T] = []
    private let condition = NSCondition()
    private let capacity: Int
    private var finished = false
    private var cancelled = false

    public init(capacity: Int) { self.capacity = capacity }

    /// Adds an item, waiting while the queue is full; false once the consumer has cancelled.
    public func put(_ item: T) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        while items.count >= capacity && !cancelled { condition.wait() }
        if cancelled { return false }
        items.append(item)
        condition.broadcast()
        return true
    }

    /// The next item, waiting for one; nil when the producer has finished and the queue is empty.
    public func take() -> T? {
        condition.lock()
        defer { condition.unlock() }
        while items.isEmpty && !finished { condition.wait() }
        if items.isEmpty { return nil }
        let item = items.removeFirst()
        condition.broadcast()
        return item
    }

    public func finish() {
        condition.lock()
        finished = true
        condition.broadcast()
        condition.unlock()
    }

    /// The consumer stops early (an error): a waiting producer is released and stops.
    public func cancel() {
        condition.lock()
        cancelled = true
        finished = true
        condition.broadcast()
        condition.unlock()
    }
}
