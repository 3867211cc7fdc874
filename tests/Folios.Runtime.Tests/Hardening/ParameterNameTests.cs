using System.Reflection;

namespace Folios.Tests.Hardening;

/// <summary>Every argument exception names a parameter of the method called, and the one at fault.</summary>
public class ParameterNameTests
{
    private static readonly PageAllocator Allocator = new(new PageAllocatorOptions { ArenaBytes = 64 * 4096, MaxOrder = 4, ReservePages = 0 });
    private static readonly ExtentBuffer Buffer = ExtentBuffer.Allocate(Allocator, 8192);
    private static readonly ExtentBuffer Other = ExtentBuffer.Allocate(Allocator, 8192);

    public static TheoryData<string, string, string> Cases() => new()
    {
        { "Read", "offset", "-1" }, { "Read", "destination", "8190" },
        { "Write", "offset", "8193" }, { "Write", "source", "8190" },
        { "Compare", "other", "8190" },
        { "ReadByte", "offset", "8192" }, { "WriteByte", "offset", "-1" },
        { "ReadUInt32LittleEndian", "offset", "8190" }, { "WriteUInt64LittleEndian", "offset", "8188" },
        { "ReadUInt16LittleEndian", "offset", "-2" },
        { "Write", "offset", "8192" }, { "Read", "destination", "8191" },
        { "CopyFrom", "sourceOffset", "-1" }, { "CopyFrom", "destinationOffset", "-1" }, { "CopyFrom", "length", "9000" },
        { "CopyFrom", "destinationOffset", "8190" }, { "CopyFrom", "sourceOffset", "8190" }, { "CopyFrom", "length", "-1" },
        { "Move", "sourceOffset", "-1" }, { "Move", "destinationOffset", "8193" }, { "Move", "length", "-5" },
        { "Move", "destinationOffset", "8190" }, { "Move", "sourceOffset", "8190" }, { "Move", "length", "8193" },
        { "Clear", "offset", "-1" }, { "Clear", "length", "9000" }, { "Clear", "offset", "8192" },
        { "TestBit", "bit", "-1" }, { "TestBit", "start", "8192" }, { "TestBit", "bit", "65536" },
        { "SetBits", "position", "-1" }, { "SetBits", "start", "-1" }, { "SetBits", "count", "65537" }, { "SetBits", "count", "-1" },
        { "SetBits", "start", "8192" }, { "SetBits", "start", "8193" },
        { "ClearBits", "position", "65536" }, { "ClearBits", "count", "65536" }, { "ClearBits", "position", "65537" },
        { "AsSequence", "offset", "8193" }, { "AsSequence", "length", "8190" },
        { "FolioIndex", "offset", "8192" }, { "OffsetInFolio", "offset", "-1" }, { "GetFolio", "index", "2" },
        { "AllocateContiguous", "length", "0" }, { "AllocateContiguous", "length", int.MaxValue.ToString() },
        { "Allocate", "order", "5" }, { "OrderForSize", "bytes", "0" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void The_exception_names_the_parameter_at_fault(string method, string expected, string value)
    {
        int v = int.Parse(value);
        Action call = (method, expected) switch
        {
            ("Read", "offset") => () => Buffer.Read(v, new byte[1]),
            ("Read", _) => () => Buffer.Read(v, new byte[4]),
            ("Write", "offset") => () => Buffer.Write(v, new byte[1]),
            ("Write", _) => () => Buffer.Write(v, new byte[4]),
            ("Compare", _) => () => Buffer.Compare(v, new byte[4]),
            ("ReadByte", _) => () => Buffer.ReadByte(v),
            ("WriteByte", _) => () => Buffer.WriteByte(v, 1),
            ("ReadUInt32LittleEndian", _) => () => Buffer.ReadUInt32LittleEndian(v),
            ("WriteUInt64LittleEndian", _) => () => Buffer.WriteUInt64LittleEndian(v, 1),
            ("ReadUInt16LittleEndian", _) => () => Buffer.ReadUInt16LittleEndian(v),
            ("CopyFrom", "sourceOffset") => () => Buffer.CopyFrom(Other, 0, v, 4),
            ("CopyFrom", "destinationOffset") => () => Buffer.CopyFrom(Other, v, 0, 4),
            ("CopyFrom", _) => () => Buffer.CopyFrom(Other, 0, 0, v),
            ("Move", "sourceOffset") => () => Buffer.Move(0, v, 4),
            ("Move", "destinationOffset") => () => Buffer.Move(v, 0, 4),
            ("Move", _) => () => Buffer.Move(0, 0, v),
            ("Clear", "offset") => () => Buffer.Clear(v, 1),
            ("Clear", _) => () => Buffer.Clear(0, v),
            ("TestBit", "start") => () => Buffer.TestBit(v, 0),
            ("TestBit", _) => () => Buffer.TestBit(0, v),
            ("SetBits", "position") => () => Buffer.SetBits(0, v, 1),
            ("SetBits", "start") => () => Buffer.SetBits(v, 0, 1),
            ("SetBits", _) => () => Buffer.SetBits(0, 0, v),
            ("ClearBits", "position") => () => Buffer.ClearBits(0, v, 1),
            ("ClearBits", _) => () => Buffer.ClearBits(0, 1, v),
            ("AsSequence", "offset") => () => Buffer.AsSequence(v, 0),
            ("AsSequence", _) => () => Buffer.AsSequence(v, 4),
            ("FolioIndex", _) => () => Buffer.FolioIndex(v),
            ("OffsetInFolio", _) => () => Buffer.OffsetInFolio(v),
            ("GetFolio", _) => () => Buffer.GetFolio(v),
            ("AllocateContiguous", _) => () => Allocator.AllocateContiguous(v),
            ("Allocate", _) => () => Allocator.Allocate(v),
            ("OrderForSize", _) => () => Allocator.OrderForSize(v),
            _ => throw new ArgumentException(method),
        };
        var error = Assert.ThrowsAny<ArgumentException>(call);
        Assert.Equal(expected, error.ParamName);
        var declaring = method is "AllocateContiguous" or "Allocate" or "OrderForSize" ? typeof(PageAllocator) : typeof(ExtentBuffer);
        Assert.Contains(declaring.GetMethods(BindingFlags.Public | BindingFlags.Instance).Where(m => m.Name == method),
            m => m.GetParameters().Any(p => p.Name == error.ParamName));
    }
}
