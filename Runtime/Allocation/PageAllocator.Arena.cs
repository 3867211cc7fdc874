namespace Folios;

// The arena as the pools see it: whether it is an array, and a folio as a segment of it.
public sealed partial class PageAllocator
{
    /// <summary>The arena is one pinned managed array (<see cref="PageAllocatorOptions.ArrayBackedArena"/>), so a
    /// folio's memory is also an array segment.</summary>
    public bool ArrayBackedArena => _options.ArrayBackedArena;

    /// <summary>The allocator's side of the meter, for what is built on it (pools report to the same meter and name).</summary>
    internal AllocatorMetrics Metrics => _metrics;

    /// <summary>A live folio's memory as a segment of the arena's array; false when the arena is native memory, or
    /// the folio was freed, or the allocator disposed.</summary>
    internal bool TryGetArray(Folio folio, out ArraySegment<byte> segment)
    {
        if (_arena.Array is { } array && IsLive(folio))
        {
            segment = new ArraySegment<byte>(array, _arena.ArrayOffset + (folio.FirstPage << PageShift), folio.Length);
            return true;
        }
        segment = default;
        return false;
    }
}
