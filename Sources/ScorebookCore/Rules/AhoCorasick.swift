/// A byte-level Aho–Corasick automaton compiled into a dense DFA over byte equivalence classes.
/// Every phrase of every rule of a rubric goes into one automaton; a transcript is scanned once.
/// Immutable after construction, so it is safe to share between threads.
struct PhraseAutomaton: Sendable {
    /// byte → class; bytes that occur in no pattern share class 0.
    let classes: [UInt8]
    let classCount: Int
    /// Entry for (state, class): the next state's row offset (state × classCount), with the sign bit set
    /// when that state has outputs; the scan loop needs no multiply.
    let table: [Int32]
    /// outputs of state s are outs[outStart[s] ..< outStart[s + 1]] (pattern ids, fail-link closure included)
    let outStart: [Int32]
    let outs: [Int32]
    /// byte length of each pattern
    let lengths: [Int32]

    var patternCount: Int { lengths.count }
    var isEmpty: Bool { lengths.isEmpty }

    init(patterns: [[UInt8]]) {
        var classMap = [UInt8](repeating: 0, count: 256)
        var next: UInt16 = 1
        for p in patterns { for b in p where classMap[Int(b)] == 0 { classMap[Int(b)] = UInt8(truncatingIfNeeded: next); next += 1 } }
        // more than 255 distinct bytes cannot happen in practice for valid UTF-8 plus folding, but stay safe
        let cc = Int(min(next, 256))
        classes = classMap
        classCount = cc
        lengths = patterns.map { Int32($0.count) }

        // trie
        var children: [[UInt8: Int32]] = [[:]]
        var terminal: [[Int32]] = [[]]
        for (id, p) in patterns.enumerated() where !p.isEmpty {  // an empty pattern never matches
            var s: Int32 = 0
            for b in p {
                let c = classMap[Int(b)]
                if let t = children[Int(s)][c] { s = t } else {
                    let t = Int32(children.count)
                    children.append([:]); terminal.append([])
                    children[Int(s)][c] = t
                    s = t
                }
            }
            terminal[Int(s)].append(Int32(id))
        }
        let stateCount = children.count
        var table = [Int32](repeating: 0, count: stateCount * cc)
        var fail = [Int32](repeating: 0, count: stateCount)
        var outputs = terminal
        var queue: [Int32] = []
        queue.reserveCapacity(stateCount)
        for c in 0..<cc {
            if let t = children[0][UInt8(c)] { table[c] = t; fail[Int(t)] = 0; queue.append(t) }
        }
        var head = 0
        while head < queue.count {
            let s = Int(queue[head]); head += 1
            outputs[s].append(contentsOf: outputs[Int(fail[s])].filter { !outputs[s].contains($0) })
            for c in 0..<cc {
                let f = table[Int(fail[s]) * cc + c]
                if let t = children[s][UInt8(c)] {
                    table[s * cc + c] = t
                    fail[Int(t)] = f
                    queue.append(t)
                } else {
                    table[s * cc + c] = f
                }
            }
        }
        var premultiplied = table
        for k in 0..<premultiplied.count {
            let target = Int(table[k])
            var entry = Int32(target * cc)
            if !outputs[target].isEmpty { entry |= Int32.min }
            premultiplied[k] = entry
        }
        self.table = premultiplied
        var starts: [Int32] = [0]
        var flat: [Int32] = []
        for s in 0..<stateCount { flat.append(contentsOf: outputs[s]); starts.append(Int32(flat.count)) }
        outStart = starts
        outs = flat
    }

    /// Appends every occurrence in `text` (normalized bytes) to `hits`, in order of their end; `spill` is
    /// scratch space (kept by the caller so that a scan allocates nothing once warm).
    ///
    /// The scan is bound by the latency of one table load per byte, each depending on the last. So the text is
    /// cut in two at a byte near the middle that is in no pattern (after it the automaton is at its root and
    /// no occurrence spans it) and the halves are scanned in lockstep: two independent chains of loads
    /// overlap. The second half's occurrences wait in `spill` and follow the first half's. The inner loops
    /// make no call, so the states stay in registers (with a call inside, the compiler kept them on the stack).
    func scan(_ text: UnsafeBufferPointer<UInt8>, into hits: inout [PhraseHit], spill: inout [PhraseHit]) {
        guard let bytes = text.baseAddress, !lengths.isEmpty else { return }
        spill.removeAll(keepingCapacity: true)
        classes.withUnsafeBufferPointer { cls in
            table.withUnsafeBufferPointer { tab in
                outStart.withUnsafeBufferPointer { os in
                    outs.withUnsafeBufferPointer { out in
                        lengths.withUnsafeBufferPointer { len in
                            let cc = classCount
                            let n = text.count
                            let classOf = cls.baseAddress!, next = tab.baseAddress!
                            @inline(__always) func emit(_ row: Int, _ end: Int, _ to: inout [PhraseHit]) {
                                let state = row / cc
                                for k in Int(os[state])..<Int(os[state &+ 1]) {
                                    let p = out[k]
                                    to.append(PhraseHit(pattern: p, start: Int32(end) - len[Int(p)], end: Int32(end)))
                                }
                            }
                            // one half alone
                            @inline(__always) func run(_ row: inout Int, _ i: inout Int, _ end: Int, _ to: inout [PhraseHit]) {
                                var r = row, k = i
                                while k < end {
                                    var entry: Int32
                                    repeat {
                                        entry = next[r &+ Int(classOf[Int(bytes[k])])]
                                        r = Int(entry & Int32.max)
                                        k &+= 1
                                    } while entry >= 0 && k < end
                                    if entry < 0 { emit(r, k, &to) }
                                }
                                row = r; i = k
                            }
                            // the first half is [0, split), the second (split, n); byte `split` is in no pattern
                            var split = n
                            var j = n / 2
                            while j < n { if classOf[Int(bytes[j])] == 0 { split = j; break }; j &+= 1 }
                            var rowA = 0, a = 0
                            var rowB = 0, b = split &+ 1
                            while a < split && b < n {
                                var entryA: Int32, entryB: Int32
                                var ra = rowA, rb = rowB, ka = a, kb = b
                                repeat {
                                    entryA = next[ra &+ Int(classOf[Int(bytes[ka])])]
                                    entryB = next[rb &+ Int(classOf[Int(bytes[kb])])]
                                    ra = Int(entryA & Int32.max)
                                    rb = Int(entryB & Int32.max)
                                    ka &+= 1
                                    kb &+= 1
                                } while (entryA | entryB) >= 0 && ka < split && kb < n
                                rowA = ra; rowB = rb; a = ka; b = kb
                                if entryA < 0 { emit(rowA, a, &hits) }
                                if entryB < 0 { emit(rowB, b, &spill) }
                            }
                            run(&rowA, &a, split, &hits)
                            if b < n { run(&rowB, &b, n, &spill) }
                        }
                    }
                }
            }
        }
        hits.append(contentsOf: spill)
    }
}

/// One occurrence of a pattern: its id and its byte range [start, end) in the scanned text.
struct PhraseHit: Equatable {
    var pattern: Int32
    var start: Int32
    var end: Int32
}
