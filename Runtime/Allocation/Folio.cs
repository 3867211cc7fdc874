namespace Folios;

/// <summary>
/// 2^<see cref="Order"/> physically contiguous pages handed out by a <see cref="PageAllocator"/>. A folio is a
/// small handle: copies refer to the same pages, and after <see cref="PageAllocator.Free"/> every copy is stale
/// (its <see cref="Span"/> throws rather than exposing reused memory).
/// </summary>
public readonly struct Folio : IEquatable<Folio>
{
    internal Folio(PageAllocator allocator, int firstPage, int order, long generation)
    {
        Allocator = allocator;
        FirstPage = firstPage;
        Order = order;
        Generation = generation;
    }

    internal PageAllocator? Allocator { get; }

    internal int FirstPage { get; }

    /// <summary>The first page's allocation count when this folio was handed out: odd while allocated. 64 bits, so a
    /// stale handle never matches a later owner's (2^63 allocations of one page take centuries).</summary>
    internal long Generation { get; }

    /// <summary>The order: the folio spans 2^Order pages.</summary>
    public int Order { get; }

    /// <summary>Pages in the folio.</summary>
    public int PageCount => 1 << Order;

    /// <summary>Bytes in the folio (0 for a default instance).</summary>
    public int Length => Allocator is null ? 0 : PageCount << Allocator.PageShift;

    /// <summary>True while the folio has not been freed and its allocator is alive.</summary>
    public bool IsAllocated => Allocator is not null && Allocator.IsLive(this);

    /// <summary>The folio's memory. Throws <see cref="ObjectDisposedException"/> once the folio is freed.</summary>
    public Span<byte> Span => (Allocator ?? throw DefaultFolio()).SpanOf(this);

    /// <summary>
    /// The folio's memory as <see cref="System.Memory{T}"/>, for APIs that take memory rather than spans. Each call
    /// allocates a small manager object. The memory does not own the folio: it is usable while the folio is allocated,
    /// and freeing the folio stays the caller's job (<see cref="PageAllocator.Free"/>); once the folio is freed, the
    /// memory's <c>Span</c> and <c>Pin</c> throw <see cref="ObjectDisposedException"/>. A folio allocated only for its
    /// memory (<c>allocator.Allocate(0).AsMemory()</c>) is never freed: its pages stay taken until the allocator is
    /// disposed. For memory that owns its pages, use <see cref="PageAllocator.AllocateContiguous"/> and dispose the
    /// buffer (<see cref="ContiguousBuffer.Memory"/>).
    /// </summary>
    /// <exception cref="InvalidOperationException">The folio is a default instance.</exception>
    /// <exception cref="ObjectDisposedException">The folio was freed or its allocator disposed.</exception>
    public Memory<byte> AsMemory()
    {
        _ = Span; // checks the folio before the manager exists
        return new FolioMemory(this).Memory;
    }

    internal static InvalidOperationException DefaultFolio() =>
        new("This Folio is a default instance; obtain folios from PageAllocator.Allocate.");

    /// <inheritdoc/>
    public bool Equals(Folio other) =>
        ReferenceEquals(Allocator, other.Allocator) && FirstPage == other.FirstPage && Order == other.Order && Generation == other.Generation;

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is Folio other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(Allocator, FirstPage, Order, Generation);

    /// <summary>Compares two folio handles.</summary>
    public static bool operator ==(Folio left, Folio right) => left.Equals(right);

    /// <summary>Compares two folio handles.</summary>
    public static bool operator !=(Folio left, Folio right) => !left.Equals(right);

    /// <inheritdoc/>
    public override string ToString() => Allocator is null ? "Folio(default)" : $"Folio(page {FirstPage}, order {Order})";
}
