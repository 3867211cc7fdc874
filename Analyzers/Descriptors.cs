using Folios.Analyzers.Pages;
using Microsoft.CodeAnalysis;

namespace Folios.Analyzers;

/// <summary>Every rule's id, title, message, category, severity and help link.</summary>
internal static class Descriptors
{
    /// <summary>
    /// Where the rule pages are published, from the build's <c>FoliosDocumentationUrl</c> property; null when the build
    /// set none, and then the rules carry no help link rather than an address that does not exist.
    /// </summary>
    public static readonly string? HelpLinkBase = typeof(Descriptors).Assembly
        .GetCustomAttributes(typeof(System.Reflection.AssemblyMetadataAttribute), false)
        .OfType<System.Reflection.AssemblyMetadataAttribute>()
        .FirstOrDefault(a => a.Key == "FoliosDocumentationUrl")?.Value;

    // FOLIO003 has one descriptor per message (never, on a path, on an exception), as CA2000 does.
    private const string MappingTitle = "Mapping not unmapped on every path";
    private const string MappingDescription =
        "A virtually contiguous mapping of pages holds address space and pins its pages: it must be unmapped exactly once, after its last use, on every path out of the method, exceptions included.";

    public static readonly DiagnosticDescriptor NoFailAboveOrderOne = Create(
        RuleIdentifiers.NoFailAboveOrderOne, "NoFail request above order 1", Categories.Reliability,
        "NoFail request for order {0} ({1} contiguous bytes): the allocator guarantees NoFail only up to order {2}, so this may fail under fragmentation. Use order-0 pages (AllocationPolicy.Pages or FolioOrPages), AllocateContiguous, or drop NoFail and handle the failure.",
        "A NoFail allocation above order 1 is not guaranteed: the kernel warns about it only under memory pressure, so tests pass and production fails. Build large buffers from order-0 pages, or make the high-order attempt opportunistic with a fallback.");

    public static readonly DiagnosticDescriptor RawCrossPageAccess = Create(
        RuleIdentifiers.RawCrossPageAccess, "Raw page access that may cross a page boundary", Categories.Correctness,
        "'{0}' accesses page memory from '{1}' at an offset not proven to lie inside that folio; a value that straddles a page boundary is read or written wrongly. Use the ExtentBuffer helpers ({2}).",
        "A buffer made of order-0 pages is not contiguous. Indexing or slicing one folio's span with a buffer-level offset works while values happen not to straddle a page and corrupts data when they do; the ExtentBuffer helpers split every access.");

    public static readonly DiagnosticDescriptor MappingNeverUnmapped = Create(
        RuleIdentifiers.MappingNotUnmapped, MappingTitle, Categories.Reliability,
        "The mapping from '{0}' is never unmapped; unmap it exactly once (a using declaration does), or hand its ownership out.",
        MappingDescription);

    public static readonly DiagnosticDescriptor MappingNotUnmappedOnPath = Create(
        RuleIdentifiers.MappingNotUnmapped, MappingTitle, Categories.Reliability,
        "The mapping from '{0}' is not unmapped when leaving at line {1}; use a using declaration or try/finally so that every path unmaps it.",
        MappingDescription);

    public static readonly DiagnosticDescriptor MappingNotUnmappedOnException = Create(
        RuleIdentifiers.MappingNotUnmapped, MappingTitle, Categories.Reliability,
        "The mapping from '{0}' is not unmapped if an exception leaves at line {1}; use a using declaration or try/finally.",
        MappingDescription);

    // FOLIO004 has one descriptor per misuse: a second unmap, a use after unmap, the pages freed while mapped.
    private const string UnmapMisuseTitle = "Mapping unmapped twice, used after unmap, or its pages freed while mapped";
    private const string UnmapMisuseDescription =
        "A virtually contiguous mapping must be unmapped exactly once, after its last use and before its pages are freed. A second unmap, a use of the span after the unmap, or freeing the pages first each throw in Folios (and corrupt memory in the kernel).";

    public static readonly DiagnosticDescriptor UnmappedTwice = Create(
        RuleIdentifiers.UnmapMisuse, UnmapMisuseTitle, Categories.Correctness,
        "'{0}' may already be unmapped here, and a second Unmap throws InvalidOperationException. Unmap a mapping exactly once.",
        UnmapMisuseDescription);

    public static readonly DiagnosticDescriptor UsedAfterUnmap = Create(
        RuleIdentifiers.UnmapMisuse, UnmapMisuseTitle, Categories.Correctness,
        "'{0}.Span' is used where the mapping may already be unmapped; the access throws ObjectDisposedException. Use the span before unmapping.",
        UnmapMisuseDescription);

    public static readonly DiagnosticDescriptor SpanOutlivesMapping = Create(
        RuleIdentifiers.UnmapMisuse, UnmapMisuseTitle, Categories.Correctness,
        "'{0}' is a span of the mapping's memory, used where the mapping may already be unmapped: the access reaches memory that may be unmapped or reused, a crash or silent corruption rather than an exception. Finish with the span before unmapping.",
        UnmapMisuseDescription);

    public static readonly DiagnosticDescriptor FreedWhileMapped = Create(
        RuleIdentifiers.UnmapMisuse, UnmapMisuseTitle, Categories.Correctness,
        "The buffer mapped by '{0}' is freed here while '{0}' may still be mapped; freeing mapped pages throws InvalidOperationException. Unmap '{0}' first.",
        UnmapMisuseDescription);

    public static readonly DiagnosticDescriptor ContradictoryFlags = Create(
        RuleIdentifiers.ContradictoryFlags, "NoFail combined with a flag that gives up", Categories.Correctness,
        "'{0}' asks for NoFail together with {1}: a request cannot both never fail and give up, and the allocator throws ArgumentException for it. Remove {1}, or remove NoFail.",
        "NoFail means the allocator keeps trying until it succeeds; NoWait, NoRetry and RetryMayFail each tell it when to give up. Together they contradict each other, so the allocator rejects the request before trying.");

    // FOLIO007 has one descriptor per finding: a result ignored, a check that can never fail.
    private const string UncheckedTitle = "Allocation result not checked, or checked where it cannot fail";
    private const string UncheckedDescription =
        "TryAllocate reports failure only through its result: ignored, a failure leaves a default Folio behind that throws at its first use. The other way round, a NoFail request at a guaranteed order never fails, and a branch that handles its failure is dead code that hides what the request promises.";

    public static readonly DiagnosticDescriptor AllocationResultIgnored = Create(
        RuleIdentifiers.UncheckedAllocation, UncheckedTitle, Categories.Reliability,
        "The result of TryAllocate is ignored: when the request fails, '{0}' is a default Folio and its first use throws. Check the result, or call Allocate, which throws a PageAllocationException that says why.",
        UncheckedDescription);

    public static readonly DiagnosticDescriptor FolioUsedOnFailurePath = Create(
        RuleIdentifiers.UncheckedAllocation, UncheckedTitle, Categories.Reliability,
        "'{0}' is used where TryAllocate has returned false: there it is a default Folio, and its Span throws and Free rejects it. Use it only where TryAllocate returned true.",
        UncheckedDescription);

    public static readonly DiagnosticDescriptor FailureCheckThatCannotFail = Create(
        RuleIdentifiers.UncheckedAllocation, UncheckedTitle, Categories.Reliability,
        "TryAllocate with NoFail at order {0} cannot fail (NoFail is guaranteed up to order {1}), so its failure branch never runs. Call Allocate, or drop NoFail if the request may fail.",
        UncheckedDescription);

    // FOLIO006 has one descriptor per finding: a costly order with no fallback, an opportunistic attempt that is not.
    private const string CostlyTitle = "Costly order without a fallback, or a fallback attempt that does not fail fast";
    private const string CostlyDescription =
        "Above order 3 the allocator does not retry after reclaim, so under fragmentation such a request fails: it needs a fallback to order-0 pages. A high-order attempt that has a fallback should fail fast and quietly (NoRetry, NoWarn), as kvmalloc makes its kmalloc attempt.";

    public static readonly DiagnosticDescriptor CostlyOrderWithoutFallback = Create(
        RuleIdentifiers.CostlyOrder, CostlyTitle, Categories.Reliability,
        "Order {0} ({1} bytes) is above the costly order 3 and has no fallback: the allocator gives up on it after one reclaim pass and this throws under fragmentation. Use order-0 pages (AllocationPolicy.FolioOrPages, AllocateContiguous) or TryAllocate with a fallback.",
        CostlyDescription);

    public static readonly DiagnosticDescriptor OpportunisticWithoutFlags = Create(
        RuleIdentifiers.CostlyOrder, CostlyTitle, Categories.Reliability,
        "This order-{0} attempt has a fallback, so it should fail fast and quietly: add {1} (NoRetry skips retrying reclaim, NoWarn skips the failure report).",
        CostlyDescription);

    public static readonly DiagnosticDescriptor HardCodedPageGeometry = Create(
        RuleIdentifiers.PageGeometry, "Hard-coded page geometry in buffer offset arithmetic", Categories.Portability,
        "'{0}' hard-codes the page {1} in buffer offset arithmetic, but the page size is the allocator's: with 16 KiB or 64 KiB pages (arm64, POWER, or PageAllocatorOptions.PageSize) this offset is silently wrong. Use {2}.",
        "Offsets into paged memory are split into a page index and an offset in the page with the allocator's geometry (PageSize, PageShift) or the buffer's own FolioIndex/OffsetInFolio. A literal 4096, 4095, ~4095 or shift of 12 next to such an offset works only where pages happen to be 4 KiB.");

    public static readonly DiagnosticDescriptor FolioOrderAbovePolicy = Create(
        RuleIdentifiers.FolioOrderPolicy, "Folio order above the project's limit", Categories.Reliability,
        "This requests a folio of order {0} ({1} bytes), above the project's limit of order {2} (folios.max_folio_order). Use order-0 pages (AllocationPolicy.Pages) or raise the limit.",
        "A project converting its buffers to order-0 pages sets folios.max_folio_order to the highest folio order it still accepts; every request for a larger folio, opportunistic ones included, is a place left to convert.");

    public static readonly DiagnosticDescriptor FirstSegmentAccess = Create(
        RuleIdentifiers.FirstSegmentAccess, "Read past the first segment of a sequence", Categories.Correctness,
        "'{0}' {1}. {2}",
        "A ReadOnlySequence is a chain of segments, and the network or a pipe decides where they split. Code that indexes, slices, decodes, compares or searches FirstSpan passes every test that feeds one segment and fails in production when a message is split; check IsSingleSegment or the span's Length first, or read through the sequence.");

    // FOLIO011 has one descriptor per misuse, as FOLIO004 does: a use after the return, a second return, a view that
    // outlives the array, a return to another pool.
    private const string PooledMisuseTitle = "Pooled buffer used after it went back, or returned twice";
    private const string PooledMisuseDescription =
        "A pool hands a returned array (or an owner's memory) to the next renter at once. Used after its return, it is shared with whoever rents it next; returned twice, it is handed to two renters at the same time, and their data silently mixes. The shared ArrayPool does not check either, by design.";

    public static readonly DiagnosticDescriptor PooledBufferUsedAfterReturn = Create(
        RuleIdentifiers.PooledBufferMisuse, PooledMisuseTitle, Categories.Correctness,
        "'{0}' is used where it may already be back in the pool: the next renter shares it with this code. Finish with it before returning it.",
        PooledMisuseDescription);

    public static readonly DiagnosticDescriptor PooledBufferReturnedTwice = Create(
        RuleIdentifiers.PooledBufferMisuse, PooledMisuseTitle, Categories.Correctness,
        "'{0}' may already be back in the pool here: returning it again hands it to two renters at once, whose data then mixes. Return it exactly once.",
        PooledMisuseDescription);

    public static readonly DiagnosticDescriptor PooledViewOutlivesBuffer = Create(
        RuleIdentifiers.PooledBufferMisuse, PooledMisuseTitle, Categories.Correctness,
        "'{0}' is a view of a pooled buffer, used where the buffer may already be back in the pool: it reads or writes whatever the next renter puts there. Finish with the view before returning the buffer.",
        PooledMisuseDescription);

    public static readonly DiagnosticDescriptor PooledBufferReturnedToAnotherPool = Create(
        RuleIdentifiers.PooledBufferMisuse, PooledMisuseTitle, Categories.Correctness,
        "'{0}' is returned to another pool than the one it was rented from: return it to the pool it came from.",
        PooledMisuseDescription);

    // FOLIO012 has one descriptor per message, as FOLIO003 does.
    private const string NotReturnedTitle = "Rented array not returned";
    private const string NotReturnedDescription =
        "An array rented from an ArrayPool and never returned is lost to the pool: the garbage collector takes it, and the pool allocates a new one for the next renter, which is what pooling was meant to avoid. Return it on every path (in a finally), or hand it to an owner that does.";

    public static readonly DiagnosticDescriptor RentedArrayNeverReturned = Create(
        RuleIdentifiers.RentedArrayNotReturned, NotReturnedTitle, Categories.Performance,
        "The array rented from '{0}' is never returned to the pool; return it when done (in a finally), or hand it to an owner that does.",
        NotReturnedDescription);

    public static readonly DiagnosticDescriptor RentedArrayNotReturnedOnPath = Create(
        RuleIdentifiers.RentedArrayNotReturned, NotReturnedTitle, Categories.Performance,
        "The array rented from '{0}' is not returned to the pool when leaving at line {1}; return it in a finally so that every path does.",
        NotReturnedDescription);

    public static readonly DiagnosticDescriptor RentedArrayNotReturnedOnException = Create(
        RuleIdentifiers.RentedArrayNotReturned, NotReturnedTitle, Categories.Performance,
        "The array rented from '{0}' is not returned to the pool if an exception leaves at line {1}; return it in a finally.",
        NotReturnedDescription);

    // FOLIO013 has one descriptor per use: the buffer read to its end, its length used as a count, a fill to its end.
    private const string RentedSizeTitle = "Rented array taken as exactly the size asked for";
    private const string RentedSizeDescription =
        "ArrayPool<T>.Rent(n) and MemoryPool<T>.Rent(n) return at least n elements, often more (the pools round up to their buckets), and the elements past n hold whatever an earlier renter left there. Code that takes the whole array or its Length as the data writes, hashes or parses that stale data, and passes every test in which n happens to be a bucket size. Take only the size asked for, or what was written.";

    public static readonly DiagnosticDescriptor RentedReadToEnd = Create(
        RuleIdentifiers.RentedSize, RentedSizeTitle, Categories.Correctness,
        "'{0}' reads the buffer rented with '{1}' up to its end, but Rent returns at least the size asked for: the elements past it are stale data from an earlier renter. {2}",
        RentedSizeDescription);

    public static readonly DiagnosticDescriptor RentedLengthUsed = Create(
        RuleIdentifiers.RentedSize, RentedSizeTitle, Categories.Correctness,
        "'{0}' is the length of the buffer rented with '{1}', not the size asked for: Rent returns at least that many elements, so this counts in stale data from an earlier renter. {2}",
        RentedSizeDescription);

    public static readonly DiagnosticDescriptor RentedFilledToEnd = Create(
        RuleIdentifiers.RentedSize, RentedSizeTitle, Categories.Correctness,
        "'{0}' fills the buffer rented with '{1}' up to its end, but Rent returns at least the size asked for: this takes more data than was asked for. {2}",
        RentedSizeDescription);

    // FOLIO014 has one descriptor for the buffer itself and one for what was taken from it.
    private const string AdvancedTitle = "Read buffer used after AdvanceTo";
    private const string AdvancedDescription =
        "After PipeReader.AdvanceTo, the ReadResult.Buffer returned by the read before it must not be accessed: its segments go back to the pipe's pool, and its Length and contents change under the code. It works until a block is reused.";

    public static readonly DiagnosticDescriptor ReadBufferUsedAfterAdvance = Create(
        RuleIdentifiers.ReadBufferUsedAfterAdvance, AdvancedTitle, Categories.Correctness,
        "'{0}.Buffer' is used where the read may already be advanced: its memory may be back in the pipe's pool. Use the buffer before calling AdvanceTo.",
        AdvancedDescription);

    public static readonly DiagnosticDescriptor ReadViewUsedAfterAdvance = Create(
        RuleIdentifiers.ReadBufferUsedAfterAdvance, AdvancedTitle, Categories.Correctness,
        "'{0}' is taken from a read buffer and used where the read may already be advanced: its memory may be back in the pipe's pool. Finish with it before calling AdvanceTo.",
        AdvancedDescription);

    // FOLIO015 has one descriptor per message, as FOLIO003 does.
    private const string NotAdvancedTitle = "Pipe read not advanced";
    private const string NotAdvancedDescription =
        "Every read from a PipeReader must be followed by AdvanceTo (or the reader's Complete) before the next read: the next ReadAsync or TryRead throws InvalidOperationException while a read is outstanding.";

    public static readonly DiagnosticDescriptor ReadNeverAdvanced = Create(
        RuleIdentifiers.ReadNotAdvanced, NotAdvancedTitle, Categories.Reliability,
        "The read from '{0}' is never advanced: the reader's next read throws. Call AdvanceTo after processing the buffer.",
        NotAdvancedDescription);

    public static readonly DiagnosticDescriptor ReadNotAdvancedOnPath = Create(
        RuleIdentifiers.ReadNotAdvanced, NotAdvancedTitle, Categories.Reliability,
        "The read from '{0}' is not advanced on the path through line {1}: the reader's next read throws. Call AdvanceTo on every path, even when nothing was consumed.",
        NotAdvancedDescription);

    // FOLIO016 has one descriptor per mistake: a write past the hint, an Advance past it, a use after the Advance.
    private const string PastHintTitle = "Writer span written past what was asked";
    private const string PastHintDescription =
        "IBufferWriter<T>.GetSpan(sizeHint) and GetMemory(sizeHint) return at least sizeHint elements, and at least one without a hint: no more is promised. Code that writes more than it asked for, or advances further, works on an ArrayBufferWriter with room to spare and throws or corrupts on a PipeWriter near the end of a block. After Advance, the span belongs to the writer again: it may have been flushed or handed out anew.";

    public static readonly DiagnosticDescriptor WriterSpanWrittenPastHint = Create(
        RuleIdentifiers.WriterSpanPastHint, PastHintTitle, Categories.Correctness,
        "'{0}' needs {1} elements of the span from '{2}', which promises only {3}. Ask for {1} (the sizeHint), or check the span's Length first.",
        PastHintDescription);

    public static readonly DiagnosticDescriptor WriterAdvancedPastHint = Create(
        RuleIdentifiers.WriterSpanPastHint, PastHintTitle, Categories.Correctness,
        "'{0}' advances past the {1} elements '{2}' promises. Ask for {3} (the sizeHint), or check the span's Length first.",
        PastHintDescription);

    public static readonly DiagnosticDescriptor WriterSpanUsedAfterAdvance = Create(
        RuleIdentifiers.WriterSpanPastHint, PastHintTitle, Categories.Correctness,
        "'{0}' is used where '{1}.Advance' may already have run: the writer may have flushed that memory or handed it out again. Get a new span after Advance.",
        PastHintDescription);

    private static DiagnosticDescriptor Create(string id, string title, string category, string message, string description) =>
        new(id, title, message, category, DiagnosticSeverity.Warning, isEnabledByDefault: true, description,
            HelpLinkBase is null ? null : HelpLinkBase.TrimEnd('/') + "/" + id + ".md");

    private static class Categories
    {
        public const string Reliability = "Reliability";
        public const string Correctness = "Correctness";
        public const string Portability = "Portability";
        public const string Performance = "Performance";
    }
}
