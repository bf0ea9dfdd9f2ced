/// The pages of a SELECT, each fetched when the iteration reaches it.
///
/// Iteration ends after the page that carries no paging state.
public struct CQLPageSequence: AsyncSequence, Sendable {
    public typealias Element = CQLRows

    private let session: any CQLSession
    private let operation: CQLOperation

    init(session: any CQLSession, operation: CQLOperation) {
        self.session = session
        self.operation = operation
    }

    public func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(session: session, nextOperation: operation)
    }

    /// All rows of all pages, in order.
    public var rows: CQLRowSequence {
        CQLRowSequence(pages: self)
    }

    public struct AsyncIterator: AsyncIteratorProtocol {
        private let session: any CQLSession
        private var nextOperation: CQLOperation?

        init(session: any CQLSession, nextOperation: CQLOperation) {
            self.session = session
            self.nextOperation = nextOperation
        }

        public mutating func next() async throws -> CQLRows? {
            guard let operation = nextOperation else { return nil }
            nextOperation = nil
            let page = try await session.run(operation).expectRows()
            nextOperation = page.pagingState.map { operation.resuming(at: $0) }
            return page
        }
    }
}

/// The rows of every page of a SELECT, fetching pages as needed.
public struct CQLRowSequence: AsyncSequence, Sendable {
    public typealias Element = CQLRow

    private let pages: CQLPageSequence

    init(pages: CQLPageSequence) {
        self.pages = pages
    }

    public func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(pages: pages.makeAsyncIterator())
    }

    public struct AsyncIterator: AsyncIteratorProtocol {
        private var pages: CQLPageSequence.AsyncIterator
        private var pending: ArraySlice<CQLRow> = []

        init(pages: CQLPageSequence.AsyncIterator) {
            self.pages = pages
        }

        public mutating func next() async throws -> CQLRow? {
            while pending.isEmpty {
                guard let page = try await pages.next() else { return nil }
                pending = page.rows[...]
            }
            return pending.popFirst()
        }
    }
}
