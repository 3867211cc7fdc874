namespace Folios.Analyzers;

/// <summary>
/// Every name of the Folios runtime and of the framework that the rules match or the fixes write, each written once
/// (vs-threading's <c>Types.cs</c> shape). Types are resolved from their full names once per compilation
/// (<see cref="Engine.FoliosTypes"/>, <see cref="Engine.FrameworkTypes"/>); members are matched by these names on
/// symbols that were resolved first. A rename in the runtime or the framework changes one line here.
/// </summary>
internal static class Names
{
    public const string SystemNamespace = "System";

    /// <summary>The assembly and namespace that define the Folios API.</summary>
    internal static class Runtime
    {
        public const string Assembly = "Folios.Runtime";
        public const string Namespace = "Folios";
    }

    internal static class PageAllocator
    {
        public const string TypeName = "PageAllocator";
        public const string FullName = "Folios.PageAllocator";
        public const string Allocate = "Allocate";
        public const string TryAllocate = "TryAllocate";
        public const string AllocateContiguous = "AllocateContiguous";
        public const string OrderForSize = "OrderForSize";
        public const string Free = "Free";
        public const string PageSize = "PageSize";
        public const string PageShift = "PageShift";
    }

    internal static class ExtentBuffer
    {
        public const string TypeName = "ExtentBuffer";
        public const string FullName = "Folios.ExtentBuffer";
        public const string Allocate = "Allocate";
        public const string GetFolio = "GetFolio";
        public const string FolioIndex = "FolioIndex";
        public const string OffsetInFolio = "OffsetInFolio";
        public const string Read = "Read";
        public const string Write = "Write";
        public const string ReadByte = "ReadByte";
        public const string WriteByte = "WriteByte";
        public const string ReadUInt16LittleEndian = "ReadUInt16LittleEndian";
        public const string ReadUInt32LittleEndian = "ReadUInt32LittleEndian";
        public const string ReadUInt64LittleEndian = "ReadUInt64LittleEndian";
        public const string WriteUInt16LittleEndian = "WriteUInt16LittleEndian";
        public const string WriteUInt32LittleEndian = "WriteUInt32LittleEndian";
        public const string WriteUInt64LittleEndian = "WriteUInt64LittleEndian";

        /// <summary>The parameter names of the helpers that take a buffer offset (FOLIO008's "offset helpers").</summary>
        public static readonly string[] OffsetParameters = ["offset", "start", "destinationOffset", "sourceOffset", "index"];
    }

    internal static class Folio
    {
        public const string TypeName = "Folio";
        public const string FullName = "Folios.Folio";
        public const string Span = "Span";
        public const string AsMemory = "AsMemory";
    }

    internal static class PageMapping
    {
        public const string FullName = "Folios.PageMapping";
        public const string Span = "Span";
        public const string IsMapped = "IsMapped";
        public const string Unmap = "Unmap";
    }

    internal static class AllocFlags
    {
        public const string TypeName = "AllocFlags";
        public const string FullName = "Folios.AllocFlags";
        public const string None = "None";
        public const string NoFail = "NoFail";
        public const string NoRetry = "NoRetry";
        public const string NoWarn = "NoWarn";
        public const string NoWait = "NoWait";
        public const string RetryMayFail = "RetryMayFail";
    }

    internal static class PageAllocationException
    {
        public const string FullName = "Folios.PageAllocationException";
    }

    internal static class AllocationPolicy
    {
        public const string TypeName = "AllocationPolicy";
        public const string FullName = "Folios.AllocationPolicy";
        public const string Pages = "Pages";
        public const string SingleFolio = "SingleFolio";
        public const string FolioOrPages = "FolioOrPages";
        public const string FolioOrMapped = "FolioOrMapped";
    }

    /// <summary>The contract attributes the rules read, by full name, and as the source text names them.</summary>
    internal static class Contracts
    {
        public const string PageOrder = "Folios.PageOrderAttribute";
        public const string AllocationSize = "Folios.AllocationSizeAttribute";
        public const string MapsPages = "Folios.MapsPagesAttribute";
        public const string UnmapsPages = "Folios.UnmapsPagesAttribute";
        public const string RawPageAccess = "Folios.RawPageAccessAttribute";
        public const string PageHelper = "Folios.PageHelperAttribute";

        /// <summary>What marks a user's wrapper in its declaration: a contract attribute, or an AllocFlags parameter.</summary>
        public static readonly string[] WrapperMarkers = ["MapsPages", "UnmapsPages", "RawPageAccess", "PageOrder", "AllocationSize", AllocFlags.TypeName];
    }

    /// <summary>The members of <c>Span&lt;T&gt;</c>, <c>ReadOnlySpan&lt;T&gt;</c> and their MemoryExtensions the rules follow.</summary>
    internal static class Span
    {
        public const string TypeName = "Span";
        public const string ReadOnlyTypeName = "ReadOnlySpan";
        public const string Slice = "Slice";
        public const string Length = "Length";
        public const string IsEmpty = "IsEmpty";
        public const string CopyTo = "CopyTo";
        public const string TryCopyTo = "TryCopyTo";
        public const string ToArray = "ToArray";
        public const string AsSpan = "AsSpan";
        public const string GetEnumerator = "GetEnumerator";
        public const string IndexOf = "IndexOf";
        public const string LastIndexOf = "LastIndexOf";
        public const string Contains = "Contains";
        public const string StartsWith = "StartsWith";
        public const string EndsWith = "EndsWith";
        public const string SequenceEqual = "SequenceEqual";
    }

    internal static class Memory
    {
        public const string TypeName = "Memory";
        public const string ReadOnlyTypeName = "ReadOnlyMemory";
        public const string Span = "Span";
    }

    internal static class MemoryExtensions
    {
        public const string FullName = "System.MemoryExtensions";
        public const string TypeName = "MemoryExtensions";
    }

    internal static class ReadOnlySequence
    {
        public const string FullName = "System.Buffers.ReadOnlySequence`1";
        public const string First = "First";
        public const string FirstSpan = "FirstSpan";
        public const string IsSingleSegment = "IsSingleSegment";
        public const string Length = "Length";
        public const string IsEmpty = "IsEmpty";
        public const string Slice = "Slice";
        public const string Start = "Start";
        public const string End = "End";
        public const string PositionOf = "PositionOf";
        public const string Empty = "Empty";
        public const string TryGet = "TryGet";
        public const string CopyTo = "CopyTo";
        public const string ToArray = "ToArray";
        public const string GetEnumerator = "GetEnumerator";
        public const string BuffersExtensions = "BuffersExtensions";
        public const string BuffersNamespace = "System.Buffers";
    }

    internal static class SequenceReader
    {
        public const string FullName = "System.Buffers.SequenceReader`1";
        public const string UnreadSpan = "UnreadSpan";
        public const string CurrentSpan = "CurrentSpan";
        public const string UnreadSequence = "UnreadSequence";
        public const string Sequence = "Sequence";
        public const string Remaining = "Remaining";
        public const string End = "End";
        public const string IsNext = "IsNext";
        public const string TryReadTo = "TryReadTo";
        public const string TryReadToAny = "TryReadToAny";
        public const string TryAdvanceTo = "TryAdvanceTo";
        public const string TryAdvanceToAny = "TryAdvanceToAny";
        public const string TryCopyTo = "TryCopyTo";
        public const string TryReadLittleEndian = "TryReadLittleEndian";
        public const string Position = "Position";
    }

    internal static class ArrayPool
    {
        public const string FullName = "System.Buffers.ArrayPool`1";
        public const string Rent = "Rent";
        public const string Return = "Return";
        public const string Shared = "Shared";
        public const string Create = "Create";
    }

    internal static class MemoryPool
    {
        public const string FullName = "System.Buffers.MemoryPool`1";
        public const string Rent = "Rent";
    }

    internal static class MemoryOwner
    {
        public const string FullName = "System.Buffers.IMemoryOwner`1";
        public const string Memory = "Memory";
    }

    /// <summary>The types that view an array's memory without owning it.</summary>
    internal static class ArrayViews
    {
        public const string ArraySegmentFullName = "System.ArraySegment`1";
        public const string ArraySegmentTypeName = "ArraySegment";
        public const string AsSpan = "AsSpan";
        public const string AsMemory = "AsMemory";
        public const string LongLength = "LongLength";
    }

    /// <summary>The pools FOLIO013 follows: what Rent gives out, and the views of it.</summary>
    internal static class Pools
    {
        public const string Fill = "Fill";
        public const string Clear = "Clear";
        public const string ToStringMethod = "ToString";
        public const string Clone = "Clone";
        public const string ReadOnlySequenceTypeName = "ReadOnlySequence";
        public const string BuffersNamespace = "Buffers";

        /// <summary>MemoryMarshal's reinterpretations: a view of the same elements, all of them.</summary>
        public static readonly string[] MarshalViews = ["Cast", "AsBytes", "AsMemory", "CreateSpan", "CreateReadOnlySpan"];
    }

    /// <summary>
    /// Which arguments a call reads as data (FOLIO013): a read-only span or memory anywhere, and arrays where the
    /// method or parameter name says the callee consumes them; the rest of an array's uses are destinations.
    /// </summary>
    internal static class DataReads
    {
        /// <summary>Methods that consume what they are given: each array argument is read, unless it is named as a destination.</summary>
        public static readonly string[] ConsumerPrefixes = ["Write", "Send", "Append", "BeginWrite", "BeginSend", "ComputeHash", "HashData", "TransformFinalBlock", "ToBase64", "ToHexString", "SequenceEqual"];

        public static readonly string[] DestinationParameters = ["destination", "dest", "dst", "output", "outputBuffer", "outArray"];

        /// <summary>Parameter names that say "read from here" in any method (Array.Copy, Buffer.BlockCopy, Convert, HashAlgorithm).</summary>
        public static readonly string[] SourceParameters = ["source", "src", "sourceArray", "inputBuffer", "inArray"];

        /// <summary>Encoding's decoding side reads its bytes; its encoding side reads its chars.</summary>
        public static readonly string[] DecodingPrefixes = ["GetString", "GetChars", "GetCharCount"];
        public static readonly string[] EncodingPrefixes = ["GetBytes", "GetByteCount"];
        public const string BytesParameter = "bytes";
        public const string CharsParameter = "chars";

        /// <summary>System.Array's static methods that look at every element of the array they are given (with no count).</summary>
        public static readonly string[] ArrayParameters = ["array", "sourceArray", "keys", "items"];

        /// <summary>Constructors that take an array's elements as their content.</summary>
        public static readonly string[] ContentTypes = ["String", "ByteArrayContent", "BinaryData"];

        /// <summary>MemoryExtensions methods that read a bounded prefix, or no element at all.</summary>
        public static readonly string[] BoundedSpanMethods = ["StartsWith", "Overlaps"];

        /// <summary>Enumerable methods that read a bounded prefix of their source, or only its length.</summary>
        public static readonly string[] BoundedEnumerableMethods = ["Take", "First", "FirstOrDefault", "ElementAt", "ElementAtOrDefault", "Count", "LongCount"];
        public const string EnumerableFullName = "System.Linq.Enumerable";
        public const string Any = "Any";

        /// <summary>Readers of a fixed number of elements from the span's start, never the whole of it.</summary>
        public const string BitConverterTypeName = "BitConverter";
        public const string VectorPrefix = "Vector";
        public static readonly string[] VectorNamespaces = ["Numerics", "Intrinsics"];

        /// <summary>Array.Clear's and Array.Fill's counts.</summary>
        public static readonly string[] CountParameters = ["length", "count"];

        /// <summary>Copies fill only as much as their source holds; a copy into the array never fills all of it.</summary>
        public static readonly string[] Copies = ["CopyTo", "TryCopyTo", "Copy", "BlockCopy", "MemoryCopy", "ConstrainedCopy"];

        /// <summary>Reads that fill the whole buffer they are given, however long it is.</summary>
        public static readonly string[] ExactFills = ["ReadExactly", "ReadExactlyAsync"];

        /// <summary>System.Array's static methods that write every element, and the one that replaces the array.</summary>
        public static readonly string[] ArrayFills = ["Clear", "Fill"];
    }

    /// <summary>The decoders: BinaryPrimitives' ReadXxxEndian/WriteXxxEndian, MemoryMarshal's and Unsafe's generic reads.</summary>
    internal static class Decoders
    {
        public const string BinaryPrimitivesTypeName = "BinaryPrimitives";
        public const string BinaryPrimitivesFullName = "System.Buffers.Binary.BinaryPrimitives";
        public const string MemoryMarshalTypeName = "MemoryMarshal";
        public const string MemoryMarshalFullName = "System.Runtime.InteropServices.MemoryMarshal";
        public const string UnsafeTypeName = "Unsafe";
        public const string UnsafeNamespace = "CompilerServices";
        public const string ReadPrefix = "Read";
        public const string WritePrefix = "Write";
        public const string EndianSuffix = "Endian";
        public const string LittleEndianSuffix = "LittleEndian";
        public const string Read = "Read";
        public const string Write = "Write";
        public const string TryRead = "TryRead";
        public const string TryWrite = "TryWrite";
        public const string AsRef = "AsRef";
        public const string As = "As";
        public const string ReadUnaligned = "ReadUnaligned";
        public const string WriteUnaligned = "WriteUnaligned";
        public const string SizeOf = "SizeOf";
        public const string Cast = "Cast";
        public const string AsBytes = "AsBytes";
        public const string GetReference = "GetReference";
        public const string Add = "Add";
        public const string AddByteOffset = "AddByteOffset";
    }

    /// <summary>Number parsers: given the digits of one segment, they read a prefix of the number and succeed.</summary>
    internal static class Parsers
    {
        public const string Utf8ParserTypeName = "Utf8Parser";
        public const string Utf8ParserNamespace = "Text";
        public const string Parse = "Parse";
        public const string TryParse = "TryParse";
    }

    /// <summary>The type names that BinaryPrimitives' method names carry, which say how many bytes they touch.</summary>
    internal static class SizedTypeNames
    {
        public const string Int16 = "Int16";
        public const string Half = "Half";
        public const string Int32 = "Int32";
        public const string Single = "Single";
        public const string Int64 = "Int64";
        public const string Double = "Double";
        public const string Int128 = "Int128";
    }

    internal static class BitOperations
    {
        public const string TypeName = "BitOperations";
        public const string Namespace = "Numerics";
        public const string Log2 = "Log2";
    }

    internal static class Math
    {
        public const string TypeName = "Math";
        public const string Min = "Min";
    }

    /// <summary>What the compiler's flow analysis reads: a method marked so never returns (throw helpers). Matched by name, since libraries for older frameworks declare their own copy.</summary>
    internal static class Flow
    {
        public const string DoesNotReturnAttribute = "DoesNotReturnAttribute";
    }

    internal static class Debug
    {
        public const string TypeName = "Debug";
        public const string Assert = "Assert";
    }

    internal static class PipeReader
    {
        public const string FullName = "System.IO.Pipelines.PipeReader";
        public const string ReadAsync = "ReadAsync";
        public const string ReadAtLeastAsync = "ReadAtLeastAsync";
        public const string TryRead = "TryRead";
        public const string AdvanceTo = "AdvanceTo";
        public const string Complete = "Complete";
        public const string CompleteAsync = "CompleteAsync";
    }

    /// <summary><c>IBufferWriter&lt;T&gt;</c> (PipeWriter, ArrayBufferWriter&lt;T&gt;, the user's own writers): FOLIO016.</summary>
    internal static class BufferWriter
    {
        public const string FullName = "System.Buffers.IBufferWriter`1";
        public const string GetSpan = "GetSpan";
        public const string GetMemory = "GetMemory";
        public const string Advance = "Advance";
    }

    internal static class ReadResult
    {
        public const string FullName = "System.IO.Pipelines.ReadResult";
        public const string Buffer = "Buffer";
        public const string IsCanceled = "IsCanceled";
        public const string IsCompleted = "IsCompleted";
    }

    internal static class SequencePosition
    {
        public const string GetPosition = "GetPosition";
        public const string PositionOf = "PositionOf";
    }

    internal static class Tasks
    {
        public const string ConfigureAwait = "ConfigureAwait";
        public const string Task = "Task";
        public const string ValueTask = "ValueTask";
        public const string Namespace = "Tasks";
        public const string ThreadingNamespace = "Threading";
        public const string Result = "Result";
        public const string GetAwaiter = "GetAwaiter";
        public const string AsTask = "AsTask";
    }

    internal static class Disposable
    {
        public const string Dispose = "Dispose";
    }

    /// <summary>Methods that put a value into a collection, which then owns it.</summary>
    internal static class Collections
    {
        public static readonly string[] Adders = ["Add", "Insert", "Push", "Enqueue", "TryAdd", "AddLast", "AddFirst", "Append"];
    }

    /// <summary>Base types whose subclasses allocate and map nothing (flags, attributes, exceptions, event data).</summary>
    internal static class InertBaseTypes
    {
        public const string Attribute = "Attribute";
        public const string Exception = "Exception";
        public const string EventArgs = "EventArgs";
    }

    internal static class GeneratedCode
    {
        public const string AttributeFullName = "System.CodeDom.Compiler.GeneratedCodeAttribute";
    }
}
