namespace Folios;

/// <summary>
/// Contiguous memory from <see cref="PageAllocator.AllocateContiguous"/> (kvmalloc): one folio when one could be
/// had cheaply, else order-0 pages seen through a mapping. Dispose it to unmap and free.
/// </summary>
public sealed class ContiguousBuffer : IDisposable
{
    private readonly PageAllocator _allocator;
    private readonly Folio[] _folios;
    private readonly PageMapping? _mapping;
    private int _disposed;

    internal ContiguousBuffer(PageAllocator allocator, int length, Folio[] folios, PageMapping? mapping)
    {
        _allocator = allocator;
        _folios = folios;
        _mapping = mapping;
        Length = length;
    }

    /// <summary>Bytes in the buffer.</summary>
    public int Length { get; }

    /// <summary>True when the memory is one folio; false when it is mapped order-0 pages.</summary>
    public bool IsFolio => _mapping is null;

    /// <summary>The memory, <see cref="Length"/> bytes. Throws <see cref="ObjectDisposedException"/> after dispose.</summary>
    public Span<byte> Span
    {
        get
        {
            if (Volatile.Read(ref _disposed) != 0)
                throw new ObjectDisposedException(nameof(ContiguousBuffer), $"This {Length}-byte contiguous buffer was disposed.");
            return (_mapping is null ? _folios[0].Span : _mapping.Span)[..Length];
        }
    }

    /// <summary>Unmaps (when mapped) and frees the memory; never throws. Idempotent.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
            return;
        _mapping?.Dispose();
        _allocator.ReleaseAll(_folios);
    }
}
