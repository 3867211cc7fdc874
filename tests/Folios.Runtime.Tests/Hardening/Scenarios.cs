namespace Folios.Tests.Hardening;

/// <summary>
/// Scenarios that crashed the process before the hardening (access violations, aborts). They run in a child
/// process (<see cref="ChildProcess"/>): a regression shows as a named failure, not as a dead test host.
/// </summary>
internal static class Scenarios
{
    public static readonly Dictionary<string, Action<string[]>> All = new()
    {
        ["use-after-dispose"] = _ => UseAfterDispose(),
        ["zero-race"] = args => ZeroRace(Count(args, 300)),
        ["access-race"] = args => AccessRace(Count(args, 200)),
        ["map-failures"] = args => MapFailures(Count(args, 70_000)),
        ["stress"] = args => Stress.Run(threads: Count(args, 2), TimeSpan.FromSeconds(args.Length > 1 ? double.Parse(args[1]) : 5)),
    };

    private static int Count(string[] args, int fallback) => args.Length > 0 ? int.Parse(args[0]) : fallback;

    private static PageAllocator Small(int pages = 64) =>
        new(new PageAllocatorOptions { ArenaBytes = 4096L * pages, MaxOrder = 4, ReservePages = 0 });

    /// <summary>Every member of every buffer kind after the allocator's disposal: ObjectDisposedException, no fault.</summary>
    private static void UseAfterDispose()
    {
        foreach (var policy in Enum.GetValues<AllocationPolicy>())
        {
            var allocator = new PageAllocator(new PageAllocatorOptions { ArenaBytes = 64 * 4096, ReservePages = 0, FaultInjection = policy == AllocationPolicy.FolioOrMapped ? new FailPageAlloc() : null });
            var buffer = ExtentBuffer.Allocate(allocator, 8192, policy, policy == AllocationPolicy.SingleFolio ? AllocFlags.None : AllocFlags.NoFail);
            var contiguous = allocator.AllocateContiguous(16384);
            var view = allocator.Map([allocator.Allocate(0)]);
            var folio = allocator.Allocate(0);
            allocator.Dispose();
            Expect<ObjectDisposedException>(() => buffer.WriteByte(10, 2));
            Expect<ObjectDisposedException>(() => buffer.ReadUInt32LittleEndian(4094));
            Expect<ObjectDisposedException>(() => buffer.Read(0, new byte[100]));
            Expect<ObjectDisposedException>(() => buffer.Write(4000, new byte[200]));
            Expect<ObjectDisposedException>(() => buffer.Clear(0, 8192));
            Expect<ObjectDisposedException>(() => buffer.SetBits(0, 3, 9));
            Expect<ObjectDisposedException>(() => buffer.TestBit(0, 3));
            Expect<ObjectDisposedException>(() => buffer.Move(1, 0, 5000));
            Expect<ObjectDisposedException>(() => buffer.Compare(0, new byte[5]));
            Expect<ObjectDisposedException>(() => buffer.Map());
            Expect<ObjectDisposedException>(() => buffer.GetFolio(0));
            Expect<ObjectDisposedException>(() => contiguous.Span[0] = 1);
            Expect<ObjectDisposedException>(() => _ = contiguous.Memory);
            Expect<ObjectDisposedException>(() => view.Span[0] = 1);
            Expect<ObjectDisposedException>(() => _ = view.Memory);
            Expect<ObjectDisposedException>(() => _ = buffer.AsSequence());
            Expect<ObjectDisposedException>(() => folio.Span[0] = 1);
            // Disposing the handles afterwards is allowed and quiet; a second Unmap is still a double unmap.
            buffer.Dispose();
            contiguous.Dispose();
            view.Unmap();
            Expect<InvalidOperationException>(view.Unmap);
            allocator.Free(folio);
        }
    }

    /// <summary>Zeroing allocations on one thread while another disposes the allocator.</summary>
    private static void ZeroRace(int rounds)
    {
        for (int round = 0; round < rounds; round++)
        {
            var allocator = Small();
            var started = new ManualResetEventSlim();
            var worker = new Thread(() =>
            {
                started.Set();
                for (int i = 0; ; i++)
                {
                    try
                    {
                        allocator.TryAllocate(i % 3, AllocFlags.Zero | AllocFlags.NoWarn, out _);
                    }
                    catch (ObjectDisposedException)
                    {
                        return;
                    }
                }
            });
            worker.Start();
            started.Wait();
            Thread.SpinWait(round * 50);
            allocator.Dispose();
            worker.Join();
        }
    }

    /// <summary>Readers and writers of buffers, folios and views while the allocator is disposed under them.</summary>
    private static void AccessRace(int rounds)
    {
        for (int round = 0; round < rounds; round++)
        {
            var allocator = new PageAllocator(new PageAllocatorOptions { ArenaBytes = 64 * 4096, ReservePages = 0, FaultInjection = new FailPageAlloc { MinOrder = 2 } });
            var buffers = new[]
            {
                ExtentBuffer.Allocate(allocator, 16384),
                ExtentBuffer.Allocate(allocator, 8192, AllocationPolicy.SingleFolio, AllocFlags.None),
                ExtentBuffer.Allocate(allocator, 16384, AllocationPolicy.FolioOrMapped),
            };
            var view = allocator.Map([allocator.Allocate(0), allocator.Allocate(0)]);
            var workers = buffers.Select((buffer, index) => new Thread(() =>
            {
                var scratch = new byte[64];
                try
                {
                    // Unsigned: a loaded machine runs past 2^31 / 4093 iterations before the disposal, and a signed
                    // product would turn negative there.
                    for (uint i = 0; ; i++)
                    {
                        buffer.WriteUInt32LittleEndian((int)(i * 4093 % (uint)(buffer.Length - 4)), i);
                        buffer.Read(0, scratch);
                        if (index == 0)
                            view.Span[(int)(i % (uint)view.Length)] = (byte)i;
                    }
                }
                catch (ObjectDisposedException)
                {
                }
            })).ToList();
            workers.ForEach(t => t.Start());
            Thread.Sleep(round % 3);
            allocator.Dispose();
            workers.ForEach(t => t.Join());
            foreach (var buffer in buffers)
                buffer.Dispose();
            view.Dispose();
        }
    }

    /// <summary>Failing Map calls, more than vm.max_map_count (65,530): each must leave no address range behind.</summary>
    private static void MapFailures(int calls)
    {
        using var allocator = Small();
        var freed = allocator.Allocate(0);
        allocator.Free(freed);
        var live = allocator.Allocate(0);
        for (int i = 0; i < calls; i++)
            Expect<ObjectDisposedException>(() => allocator.Map([live, freed]));
        var disposed = Small();
        var page = disposed.Allocate(0);
        disposed.Dispose();
        for (int i = 0; i < calls; i++)
            Expect<ObjectDisposedException>(() => disposed.Map([page]));
        // Still able to map: the address space and the map count were not used up.
        using var view = allocator.Map([live]);
        view.Span[0] = 1;
    }

    private static void Expect<T>(Action action) where T : Exception
    {
        try
        {
            action();
        }
        catch (T)
        {
            return;
        }
        throw new InvalidOperationException($"expected {typeof(T).Name}");
    }
}
