using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;
using System.Numerics;
using System.Runtime.CompilerServices;

namespace Folios;

/// <summary>
/// A buddy page allocator over one native arena. It hands out folios of 2^order contiguous pages the way the
/// kernel's page allocator does: order-0 requests succeed under fragmentation while high orders fail first, and
/// <see cref="AllocFlags.NoFail"/> is honoured only up to <see cref="MaxNoFailOrder"/>. Thread-safe.
/// </summary>
public sealed unsafe partial class PageAllocator : IDisposable
{
    /// <summary>Orders above this are costly: not retried after reclaim unless <see cref="AllocFlags.RetryMayFail"/>.</summary>
    public const int CostlyOrder = 3;

    /// <summary>The highest order for which <see cref="AllocFlags.NoFail"/> is honoured.</summary>
    public const int MaxNoFailOrder = 1;

    private static readonly TimeSpan NoFailWaitSlice = TimeSpan.FromMilliseconds(20);
    private readonly object _lock = new();
    private readonly PageAllocatorOptions _options;
    private readonly Arena _arena;
    private readonly BuddyFreeLists _freeLists;
    private readonly int _pageCount;
    /// <summary>Per first page: how often it was handed out and taken back. Odd while allocated; a folio holds the
    /// value it was handed out with, so a stale copy never matches (see <see cref="Folio.Generation"/>).</summary>
    private readonly long[] _generation;
    private readonly FaultInjector? _faults;
    private readonly ConcurrentDictionary<(string File, int Line), byte> _warnedCallSites = new();
    private readonly long[] _allocations;
    private readonly AllocatorMetrics _metrics;
    private readonly long[,] _failures;
    private Func<int, int>[] _shrinkers = [];
    private long _reserveAllocations;
    private long _noFailOrderWarnings;
    private int _waitingForFree;
    /// <summary>Pages returned to the buddy lists so far: a NoFail request waits only while this moves.</summary>
    private long _progress;
    private int _disposed;

    /// <summary>Creates an allocator with its own arena.</summary>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range; the message names it.</exception>
    public PageAllocator(PageAllocatorOptions? options = null)
    {
        _options = options ?? new PageAllocatorOptions();
        _options.Validate();
        PageSize = _options.PageSize;
        PageShift = BitOperations.Log2((uint)PageSize);
        MaxOrder = _options.MaxOrder;
        _pageCount = _options.PageCount;
        // Everything that may throw (OutOfMemoryException for a huge arena's book-keeping) comes before the arena,
        // so that a failed constructor leaves no memfd and no mapping behind.
        _freeLists = new BuddyFreeLists(_pageCount, MaxOrder);
        _generation = new long[_pageCount];
        _allocations = new long[MaxOrder + 1];
        _failures = new long[MaxOrder + 1, Enum.GetValues<AllocationFailureReason>().Length];
        _faults = _options.FaultInjection is { } faults ? new FaultInjector(faults) : null;
        _threadCacheCapacity = ThreadPageCache.CapacityFor(_pageCount);
        _mappings = new MappingTable(_options);
        _arena = new Arena(_options.ArenaBytes, PageSize, _options.ArrayBackedArena);
        _metrics = new AllocatorMetrics(_options);
        _metrics.Register(this);
    }

    /// <summary>Bytes per page.</summary>
    public int PageSize { get; }

    /// <summary>log2(<see cref="PageSize"/>).</summary>
    public int PageShift { get; }

    /// <summary>The highest order this allocator hands out.</summary>
    public int MaxOrder { get; }

    /// <summary>Raised once per call site when NoFail is requested above <see cref="MaxNoFailOrder"/> (the WARN_ON_ONCE analog).</summary>
    public event EventHandler<NoFailOrderWarningEventArgs>? NoFailOrderWarning;

    /// <summary>Raised when a request without <see cref="AllocFlags.NoWarn"/> fails.</summary>
    public event EventHandler<AllocationFailedEventArgs>? AllocationFailed;

    /// <summary>
    /// With <see cref="PageAllocatorOptions.TrackLeaks"/>: raised for each view that keeps pages mapped after their
    /// owner let them go (an <see cref="ExtentBuffer"/> disposed while a view from its <see cref="ExtentBuffer.Map"/>
    /// is still mapped: the pages go back at that view's unmap), and for each view still mapped when the allocator is
    /// disposed (a leak). The arguments carry the stack that created the view.
    /// </summary>
    public event EventHandler<LiveMappingEventArgs>? LiveMappingReported;

    /// <summary>The order whose folio holds <paramref name="bytes"/>: ceil(log2(bytes / PageSize)), 0 up to one page.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The size is not positive.</exception>
    public int OrderForSize([AllocationSize] int bytes)
    {
        if (bytes <= 0)
            throw new ArgumentOutOfRangeException(nameof(bytes), bytes, "The size must be positive.");
        int pages = (int)(((long)bytes + PageSize - 1) >> PageShift);
        return pages <= 1 ? 0 : BitOperations.Log2((uint)pages - 1) + 1;
    }

    /// <summary>Allocates a folio of 2^<paramref name="order"/> pages.</summary>
    /// <exception cref="PageAllocationException">The request failed; the exception gives order, flags and reason.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The order is negative or above <see cref="MaxOrder"/>.</exception>
    /// <exception cref="ArgumentException">The flags contradict each other (NoFail with NoWait, NoRetry or RetryMayFail).</exception>
    public Folio Allocate([PageOrder] int order, AllocFlags flags = AllocFlags.None,
        [CallerFilePath] string callerFilePath = "", [CallerLineNumber] int callerLineNumber = 0)
    {
        if (TryAllocateCore(order, flags, callerFilePath, callerLineNumber, out var folio, out var reason))
            return folio;
        throw new PageAllocationException(order, flags, reason);
    }

    /// <summary>Allocates a folio, or returns false when the request fails.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The order is negative or above <see cref="MaxOrder"/>.</exception>
    /// <exception cref="ArgumentException">The flags are unknown or contradict each other.</exception>
    /// <exception cref="ObjectDisposedException">The allocator was disposed.</exception>
    [SuppressMessage("ApiDesign", "RS0026:Do not add multiple public overloads with optional parameters", Justification = "The optional parameters are caller information the compiler fills in; callers never pass them.")]
    public bool TryAllocate([PageOrder] int order, AllocFlags flags, out Folio folio,
        [CallerFilePath] string callerFilePath = "", [CallerLineNumber] int callerLineNumber = 0) =>
        TryAllocateCore(order, flags, callerFilePath, callerLineNumber, out folio, out _);

    /// <summary>
    /// Allocates a folio, or returns false and says why, so a failure branch can fall back or rethrow with
    /// <c>new PageAllocationException(order, flags, reason)</c>.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The order is negative or above <see cref="MaxOrder"/>.</exception>
    /// <exception cref="ArgumentException">The flags are unknown or contradict each other.</exception>
    /// <exception cref="ObjectDisposedException">The allocator was disposed.</exception>
    [SuppressMessage("ApiDesign", "RS0026:Do not add multiple public overloads with optional parameters", Justification = "The optional parameters are caller information the compiler fills in; callers never pass them.")]
    public bool TryAllocate([PageOrder] int order, AllocFlags flags, out Folio folio, out AllocationFailureReason reason,
        [CallerFilePath] string callerFilePath = "", [CallerLineNumber] int callerLineNumber = 0) =>
        TryAllocateCore(order, flags, callerFilePath, callerLineNumber, out folio, out reason);

    /// <summary>
    /// Fills <paramref name="destination"/> with order-0 pages, from this thread's cache while it serves and then under
    /// one lock (alloc_pages_bulk), and returns how many it filled. Without NoFail it stops at the first page it cannot take; with NoFail it fills every slot, unless
    /// no page is freed for <see cref="PageAllocatorOptions.NoFailTimeout"/> (then it returns the count filled).
    /// </summary>
    /// <exception cref="PageAllocationException">NoFail was asked for more pages than the arena has; nothing was taken.</exception>
    /// <exception cref="ArgumentException">The flags are unknown or contradict each other.</exception>
    /// <exception cref="ObjectDisposedException">The allocator was disposed.</exception>
    public int AllocatePages(Span<Folio> destination, AllocFlags flags = AllocFlags.None)
    {
        ValidateFlags(flags);
        if ((flags & AllocFlags.NoFail) != 0 && destination.Length > _pageCount)
            throw new PageAllocationException($"{destination.Length} order-0 pages from an arena of {_pageCount}", 0, flags, AllocationFailureReason.LargerThanArena);
        int filled = 0;
        try
        {
            // This thread's cache first (no lock while it serves), then the buddy lists under one lock.
            while (filled < destination.Length && _faults is null && TryTakeCached(out destination[filled]))
                filled++;
            lock (_lock)
            {
                ThrowIfDisposed();
                while (filled < destination.Length && _faults?.ShouldFail(0, flags) != true && TryTakeLocked(0, flags, out destination[filled], out _))
                    filled++;
            }
            ClearIfRequested(destination[..filled], flags);
            for (int i = 0; i < filled; i++)
                _metrics.CountAllocation(0);

            while (filled < destination.Length && TryAllocateCore(0, flags, "", 0, out destination[filled], out _))
                filled++;
        }
        catch
        {
            // Disposed meanwhile: the pages taken so far were never handed to the caller.
            foreach (var folio in destination[..filled])
                Free(folio);
            destination[..filled].Clear();
            throw;
        }
        return filled;
    }

    /// <summary>
    /// Returns a folio to the allocator and merges it with its free buddies. After <see cref="Dispose"/> it only
    /// retires the handle: the memory went with the allocator.
    /// </summary>
    /// <exception cref="ArgumentException">The folio is a default instance or belongs to another allocator.</exception>
    /// <exception cref="InvalidOperationException">The folio was already freed, or a mapping still maps one of its pages (then nothing changed).</exception>
    public void Free(Folio folio)
    {
        if (!ReferenceEquals(folio.Allocator, this))
            throw ForeignFolio(folio);
        if (!TryClaim(folio))
            throw DoubleFree(folio);
        if (!IsDisposed && _mappings.MappedPage(folio) is int mapped)
            throw StillMapped(folio, mapped);
        ReturnClaimed(folio);
    }

    /// <summary>
    /// Frees the folios a buffer owned, from its Dispose, and never throws: a folio that a view still maps goes back
    /// when the last view of it is unmapped (with <see cref="PageAllocatorOptions.TrackLeaks"/>, each such view is
    /// reported through <see cref="LiveMappingReported"/>); a folio already freed behind the owner's back (a raw
    /// <see cref="Free"/> of a <see cref="ExtentBuffer.GetFolio"/>) is left to whoever has its pages now.
    /// </summary>
    internal void ReleaseAll(ReadOnlySpan<Folio> folios)
    {
        HashSet<PageMapping>? stillMapped = null;
        foreach (var folio in folios)
        {
            if (!TryClaim(folio))
                continue;
            if (!IsDisposed && _mappings.MappedPage(folio) is not null && TryFreeWhenUnmapped(folio, ref stillMapped))
                continue;
            ReturnClaimed(folio);
        }
        if (stillMapped is not null)
        {
            foreach (var view in stillMapped)
                ReportLiveMapping(view, LiveMappingReason.PagesReleased);
        }
    }

    /// <summary>Registers a reclaim callback: given the pages wanted, it frees what it can and returns the count.</summary>
    /// <returns>A handle whose disposal unregisters the callback.</returns>
    /// <exception cref="ArgumentNullException">The callback is null.</exception>
    public IDisposable RegisterShrinker(Func<int, int> shrink)
    {
        ArgumentNullException.ThrowIfNull(shrink);
        lock (_lock)
            _shrinkers = [.. _shrinkers, shrink];
        return new ShrinkerRegistration(this, shrink);
    }

    /// <summary>A snapshot of free blocks, counters and mappings.</summary>
    public AllocatorStatistics Statistics
    {
        get
        {
            lock (_lock)
            {
                DrainLocked();
                var freeBlocks = new int[MaxOrder + 1];
                for (int order = 0; order <= MaxOrder; order++)
                    freeBlocks[order] = _freeLists.FreeBlocks(order);
                return new AllocatorStatistics(_pageCount, _freeLists.FreePages, freeBlocks,
                    (long[])_allocations.Clone(), (long[,])_failures.Clone(), _reserveAllocations,
                    _noFailOrderWarnings, Interlocked.Read(ref _fallbacks), _mappings.LiveMappings, _mappings.MappedPages);
            }
        }
    }

    internal byte* Base => _arena.Base;

    internal Arena Arena => _arena;

    internal int PageCount => _pageCount;

    /// <summary>The longest buffer: its pages must fit an int of bytes.</summary>
    internal int MaxBufferLength => int.MaxValue & ~(PageSize - 1);

    /// <exception cref="ArgumentOutOfRangeException">Not positive, or longer than <see cref="MaxBufferLength"/>.</exception>
    internal void CheckBufferLength(int length)
    {
        if (length <= 0 || length > MaxBufferLength)
            throw new ArgumentOutOfRangeException(nameof(length), length,
                $"The length must be between 1 and {MaxBufferLength} bytes (whole {PageSize}-byte pages must fit an int).");
    }

    internal bool IsDisposed => Volatile.Read(ref _disposed) != 0;

    internal bool IsLive(Folio folio) => !IsDisposed && HasLiveState(folio);

    internal Span<byte> SpanOf(Folio folio)
    {
        if (IsDisposed || !HasLiveState(folio))
            throw new ObjectDisposedException(nameof(Folio), $"{folio} was freed (or its allocator disposed); its memory may belong to someone else now.");
        return new Span<byte>(AddressOf(folio), folio.PageCount << PageShift);
    }

    /// <summary>The folio's memory, unchecked: after Dispose it lies in the placeholder, so writes there are harmless.</summary>
    internal byte* AddressOf(Folio folio) => _arena.Base + ((long)folio.FirstPage << PageShift);

    /// <summary>The generation is the folio's claim: of two racing frees exactly one moves it on. It is also a full
    /// fence, which orders it against Map's page count and Dispose's scan (each side sees the other's write).</summary>
    private bool TryClaim(Folio folio) =>
        Interlocked.CompareExchange(ref _generation[folio.FirstPage], folio.Generation + 1, folio.Generation) == folio.Generation;

    /// <summary>Returns a claimed folio that no view maps (after Dispose: only retires it).</summary>
    private void ReturnClaimed(Folio folio)
    {
        if (IsDisposed)
            RetireAfterDispose(folio.FirstPage);
        else if (folio.Order != 0 || !TryCachePage(folio.FirstPage))
            ReleaseToBuddyLists(folio.FirstPage, folio.Order);
    }

    /// <summary>Parks a claimed folio until its views are unmapped; false when none maps it any more (or the
    /// allocator is gone), and the caller returns it at once. With TrackLeaks, collects the views that keep it.</summary>
    private bool TryFreeWhenUnmapped(Folio folio, ref HashSet<PageMapping>? views)
    {
        lock (_lock)
        {
            // Map and unmap change the counts under this lock: what is seen here stays true until the table is told.
            if (IsDisposed || _mappings.MappedPage(folio) is null)
                return false;
            _mappings.FreeWhenUnmapped(folio);
            if (_mappings.TrackLeaks)
                (views ??= new(ReferenceEqualityComparer.Instance)).UnionWith(_mappings.ViewsOf(folio));
            return true;
        }
    }

    /// <summary>The folio is the current allocation of its first page. Read without the lock: a page changes state
    /// only through its owner (or the claim in <see cref="Free"/>), so a stale read errs towards "freed".</summary>
    private bool HasLiveState(Folio folio) => Volatile.Read(ref _generation[folio.FirstPage]) == folio.Generation;

    private bool TryAllocateCore(int order, AllocFlags flags, string callerFilePath, int callerLineNumber,
        out Folio folio, out AllocationFailureReason reason)
    {
        if ((uint)order > (uint)MaxOrder)
            throw OrderOutOfRange(order);
        ValidateFlags(flags);
        AllocFlags requested = flags;
        if ((flags & AllocFlags.NoFail) != 0 && order > MaxNoFailOrder)
        {
            WarnNoFailOrder(order, flags, callerFilePath, callerLineNumber);
            flags &= ~AllocFlags.NoFail;
        }

        if ((order == 0 && _faults is null && TryTakeCached(out folio)) || TryAllocateWithReclaim(order, flags, out folio, out reason))
        {
            reason = default;
            ClearIfRequested(new Span<Folio>(ref folio), flags);
            _metrics.CountAllocation(order);
            return true;
        }

        _metrics.CountFailure(order, reason);
        if ((flags & AllocFlags.NoWarn) == 0)
            AllocationFailed?.Invoke(this, new AllocationFailedEventArgs(order, requested, reason));
        return false;
    }

    private bool TryAllocateWithReclaim(int order, AllocFlags flags, out Folio folio, out AllocationFailureReason reason)
    {
        if (1L << order > _pageCount)
        {
            folio = default;
            reason = AllocationFailureReason.LargerThanArena;
            lock (_lock)
                _failures[order, (int)reason]++;
            return false;
        }
        lock (_lock)
        {
            ThrowIfDisposed();
            if (_faults?.ShouldFail(order, flags) == true)
            {
                folio = default;
                reason = AllocationFailureReason.FaultInjected;
                _failures[order, (int)reason]++;
                return false;
            }
            if (TryTakeOrDrainLocked(order, flags, out folio, out reason))
                return true;
        }

        bool noFail = (flags & AllocFlags.NoFail) != 0;
        if ((flags & AllocFlags.NoWait) == 0)
        {
            long progressSeen = Volatile.Read(ref _progress);
            long stalledSince = Stopwatch.GetTimestamp();
            while (true)
            {
                int reclaimed = Reclaim(1 << order);
                lock (_lock)
                {
                    ThrowIfDisposed();
                    if (TryTakeOrDrainLocked(order, flags, out folio, out reason))
                        return true;
                    if ((flags & AllocFlags.NoRetry) != 0)
                        break;
                    if (order > CostlyOrder && (flags & AllocFlags.RetryMayFail) == 0)
                        break;
                    // Retries go on while pages come back; a shrinker that reports pages it never frees does not count.
                    if (_progress != progressSeen)
                        (progressSeen, stalledSince) = (_progress, Stopwatch.GetTimestamp());
                    else if (Stopwatch.GetElapsedTime(stalledSince) >= _options.NoFailTimeout)
                    {
                        if (noFail)
                            reason = AllocationFailureReason.NoProgress;
                        break;
                    }
                    if (reclaimed > 0)
                        continue;
                    if (!noFail)
                        break;
                    // NoFail at a supported order: wait for a free, then reclaim again.
                    _waitingForFree++;
                    try
                    {
                        Monitor.Wait(_lock, NoFailWaitSlice);
                    }
                    finally
                    {
                        _waitingForFree--;
                    }
                }
            }
        }

        lock (_lock)
            _failures[order, (int)reason]++;
        return false;
    }

    /// <summary>Takes from the buddy lists; when that fails and thread caches hold pages, returns those and tries again.</summary>
    private bool TryTakeOrDrainLocked(int order, AllocFlags flags, out Folio folio, out AllocationFailureReason reason)
    {
        if (TryTakeLocked(order, flags, out folio, out reason))
            return true;
        int drained = DrainLocked();
        _progress += drained;
        return drained > 0 && TryTakeLocked(order, flags, out folio, out reason);
    }

    private bool TryTakeLocked(int order, AllocFlags flags, out Folio folio, out AllocationFailureReason reason)
    {
        bool mayUseReserve = (flags & AllocFlags.NoFail) != 0;
        int pages = 1 << order;
        int freeAfter = _freeLists.FreePages - pages;
        int page = freeAfter < 0 || (freeAfter < _options.ReservePages && !mayUseReserve) ? -1 : _freeLists.Take(order);
        if (page < 0)
        {
            folio = default;
            reason = freeAfter < _options.ReservePages ? AllocationFailureReason.ArenaExhausted : AllocationFailureReason.Fragmented;
            return false;
        }
        if (freeAfter < _options.ReservePages)
            _reserveAllocations++;
        _allocations[order]++;
        folio = new Folio(this, page, order, HandOut(page));
        reason = default;
        return true;
    }

    private int Reclaim(int pagesWanted)
    {
        int reclaimed = 0;
        foreach (var shrink in Volatile.Read(ref _shrinkers))
        {
            reclaimed += Math.Max(0, shrink(pagesWanted - reclaimed));
            if (reclaimed >= pagesWanted)
                break;
        }
        return reclaimed;
    }

    private void ReportLiveMapping(PageMapping view, LiveMappingReason reason) =>
        LiveMappingReported?.Invoke(this, new LiveMappingEventArgs(view.PageCount, view.CreationStack ?? "", reason));

    private void WarnNoFailOrder(int order, AllocFlags flags, string callerFilePath, int callerLineNumber)
    {
        if (!_warnedCallSites.TryAdd((callerFilePath, callerLineNumber), 0))
            return;
        Interlocked.Increment(ref _noFailOrderWarnings);
        _metrics.CountNoFailOrderWarning(order);
        NoFailOrderWarning?.Invoke(this, new NoFailOrderWarningEventArgs(order, flags, callerFilePath, callerLineNumber));
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private ArgumentOutOfRangeException OrderOutOfRange(int order) =>
        new(nameof(order), order, $"The order must be between 0 and MaxOrder ({MaxOrder}).");

    internal static void ValidateFlags(AllocFlags flags)
    {
        if (flags != AllocFlags.None)
            ValidateSomeFlags(flags);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ValidateSomeFlags(AllocFlags flags)
    {
        const AllocFlags known = AllocFlags.NoFail | AllocFlags.NoRetry | AllocFlags.RetryMayFail | AllocFlags.NoWarn | AllocFlags.NoWait | AllocFlags.Zero;
        if ((flags & ~known) != 0)
            throw new ArgumentException($"Unknown allocation flags: {flags & ~known}.", nameof(flags));
        const AllocFlags contradictsNoFail = AllocFlags.NoWait | AllocFlags.NoRetry | AllocFlags.RetryMayFail;
        if ((flags & AllocFlags.NoFail) != 0 && (flags & contradictsNoFail) != 0)
            throw new ArgumentException($"AllocFlags.NoFail contradicts {flags & contradictsNoFail}: a request cannot both never fail and give up.", nameof(flags));
    }

    /// <summary>Moves a free page's generation to the next odd value; the caller owns the page exclusively.</summary>
    private long HandOut(int page)
    {
        long generation = _generation[page] + 1;
        Volatile.Write(ref _generation[page], generation);
        return generation;
    }

    /// <summary>Zeroes new folios without the liveness check: a Dispose racing the allocation must not turn a
    /// successful request into an exception (the folio would be lost), and the memory stays writable.</summary>
    private void ClearIfRequested(Span<Folio> folios, AllocFlags flags)
    {
        if ((flags & AllocFlags.Zero) == 0)
            return;
        foreach (var folio in folios)
            new Span<byte>(AddressOf(folio), folio.Length).Clear();
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void ReleaseToBuddyLists(int page, int order)
    {
        lock (_lock)
        {
            if (IsDisposed)
                return;
            _freeLists.Release(page, order);
            _progress++;
            if (order == 0)
                SpillLocked();
            if (_waitingForFree > 0)
                Monitor.PulseAll(_lock);
        }
    }

    // Exceptions are built out of line, so that Free's fast path keeps a small frame.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static ArgumentException ForeignFolio(Folio folio) => folio.Allocator is null
        ? new ArgumentException("Cannot free a default Folio.", nameof(folio))
        : new ArgumentException("The folio belongs to another PageAllocator.", nameof(folio));

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static InvalidOperationException DoubleFree(Folio folio) => new($"Double free: {folio} was already freed.");

    /// <summary>Gives the claim back first: the folio stays allocated and the caller may unmap, then free it.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private InvalidOperationException StillMapped(Folio folio, int mapped)
    {
        Volatile.Write(ref _generation[folio.FirstPage], folio.Generation);
        return new InvalidOperationException($"Cannot free {folio}: page {mapped} is still mapped. Unmap the mapping before freeing its pages.");
    }

    private void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(IsDisposed, this);

    private sealed class ShrinkerRegistration(PageAllocator allocator, Func<int, int> shrink) : IDisposable
    {
        public void Dispose()
        {
            lock (allocator._lock)
                allocator._shrinkers = Array.FindAll(allocator._shrinkers, registered => registered != shrink);
        }
    }
}
