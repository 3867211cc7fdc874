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
    private ContiguousMemory? _memory;
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

    /// <summary>The memory, <see cref="Length"/> bytes.</summary>
    /// <exception cref="ObjectDisposedException">The buffer or its allocator was disposed.</exception>
    public Span<byte> Span
    {
        get
        {
            if (Volatile.Read(ref _disposed) != 0)
                throw new ObjectDisposedException(nameof(ContiguousBuffer), $"This {Length}-byte contiguous buffer was disposed.");
            return (_mapping is null ? _folios[0].Span : _mapping.Span)[..Length];
        }
    }

    /// <summary>
    /// The memory as <see cref="Memory{T}"/>, for APIs that take memory rather than spans (the same memory on every
    /// call). It lives as long as the buffer: once the buffer or its allocator is disposed, the memory's <c>Span</c>
    /// and <c>Pin</c> throw <see cref="ObjectDisposedException"/> instead of reaching memory that may belong to someone
    /// else. A span or pin taken before the disposal must not be used after it.
    /// </summary>
    /// <exception cref="ObjectDisposedException">The buffer or its allocator was disposed.</exception>
    public Memory<byte> Memory
    {
        get
        {
            _ = Span; // checks the buffer before handing out memory
            return (_memory ??= new ContiguousMemory(this)).Memory;
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
