using System.Collections.Immutable;
using System.Reflection.Metadata;
using System.Reflection.Metadata.Ecma335;
using Folios.Analyzers;
using Folios.Analyzers.Pages;
using Microsoft.CodeAnalysis;

namespace Folios.Analyzers.Engine;

/// <summary>
/// The runtime's type names, entry points (members that carry a contract attribute, or take one in a parameter, or
/// take AllocFlags) and ExtentBuffer's offset helpers: what <see cref="Relevance"/> looks for in the text. They depend
/// only on the Folios.Runtime build, so they are read once per build (keyed by its module version id), not once per
/// compilation: the compiler server and the IDE make a compilation for every build and every edit. A compiled runtime
/// is read from its metadata tables; asking its symbols for their attributes costs a cold build three times as much
/// (decoding every member's signature and attributes). A runtime compiled from source is read from its symbols, every
/// time, and so is a compiled runtime whose metadata the reader cannot decode. <c>FoliosTypesTests</c> checks that both
/// readings agree on the real runtime and on every shape of entry point.
/// </summary>
internal sealed class RuntimeNames
{
    /// <summary>
    /// The last runtime build read, with its module version id: a process sees one build at a time, and a dictionary
    /// keyed by Guid is a generic instantiation a cold process first has to compile (7 ms in a trace of csc).
    /// </summary>
    private static Tuple<Guid, RuntimeNames>? _lastBuild;

    private RuntimeNames(FoliosTypes types, MetadataReader? metadata)
    {
        if (types.PageAllocator?.ContainingNamespace is not { } runtime)
            return;
        var holders = new List<INamedTypeSymbol>();
        foreach (var type in runtime.GetTypeMembers())
        {
            Names.Add(type.Name);
            if (MayHoldEntryPoints(type))
                holders.Add(type);
        }
        if (metadata is not null && TryRead(metadata, holders, types) is { } read)
        {
            Names.UnionWith(read.Names);
            OffsetHelpers.UnionWith(read.OffsetHelpers);
            return;
        }
        foreach (var type in holders)
            ReadSymbols(type, types);
    }

    private RuntimeNames()
    {
    }

    public HashSet<string> Names { get; } = new(StringComparer.Ordinal);

    public HashSet<string> OffsetHelpers { get; } = new(StringComparer.Ordinal);

    public static RuntimeNames Of(FoliosTypes types)
    {
        var modules = types.PageAllocator?.ContainingAssembly.GetMetadata()?.GetModules() ?? ImmutableArray<ModuleMetadata>.Empty;
        if (modules.IsEmpty)
            return new RuntimeNames(types, null);
        var build = modules[0].GetModuleVersionId();
        if (_lastBuild is { } last && last.Item1 == build)
            return last.Item2;
        var names = new RuntimeNames(types, modules[0].GetMetadataReader());
        _lastBuild = Tuple.Create(build, names); // two threads may both read it; both get the same answer
        return names;
    }

    /// <summary>
    /// The members' names read from the metadata tables, or null where the reader cannot decode them (a malformed
    /// signature throws there, while Roslyn reads the same symbols leniently): the symbols are read instead.
    /// </summary>
    private static RuntimeNames? TryRead(MetadataReader metadata, List<INamedTypeSymbol> holders, FoliosTypes types)
    {
        var read = new RuntimeNames();
        try
        {
            new MetadataRuntime(metadata, types).Read(holders, read);
            return read;
        }
        catch (BadImageFormatException)
        {
            return null;
        }
    }

    /// <summary>Read from the symbols: a runtime compiled from source.</summary>
    public static RuntimeNames FromSymbols(FoliosTypes types) => new(types, null);

    private void ReadSymbols(INamedTypeSymbol type, FoliosTypes types)
    {
        bool offsetsHere = SymbolEqualityComparer.Default.Equals(type, types.ExtentBuffer);
        foreach (var member in type.GetMembers())
        {
            if (member.DeclaredAccessibility != Accessibility.Public)
                continue;
            if (IsEntryPoint(member, types))
                Add(member.Name, isEntryPoint: true, isOffsetHelper: false);
            if (offsetsHere && member is IMethodSymbol helper && helper.Parameters.Any(p => PageGeometry.IsOffsetParameter(p.Name)))
                Add(helper.Name, isEntryPoint: false, isOffsetHelper: true);
        }
    }

    /// <summary>Records a public member of a type that may hold entry points; the one place both readings decide what counts.</summary>
    private void Add(string member, bool isEntryPoint, bool isOffsetHelper)
    {
        // Dispose takes nothing of Folios' contracts, and in the text it is on every disposable.
        if (isEntryPoint && member != "Dispose")
            Names.Add(member);
        if (isOffsetHelper)
            OffsetHelpers.Add(member);
    }

    /// <summary>Members of flags, attributes, exceptions and event data allocate or map nothing.</summary>
    private static bool MayHoldEntryPoints(INamedTypeSymbol type)
    {
        if (type.TypeKind is TypeKind.Enum or TypeKind.Delegate)
            return false;
        for (var baseType = type.BaseType; baseType is not null; baseType = baseType.BaseType)
        {
            if (baseType is { Name: "Attribute" or "Exception" or "EventArgs", ContainingNamespace: { Name: "System", ContainingNamespace.IsGlobalNamespace: true } })
                return false;
        }
        return true;
    }

    private static bool IsEntryPoint(ISymbol member, FoliosTypes types) => member switch
    {
        IMethodSymbol method => HasContract(method, types) || method.Parameters.Any(p => HasContract(p, types) || SymbolEqualityComparer.Default.Equals(p.Type, types.AllocFlags)),
        IPropertySymbol { IsIndexer: false } property => HasContract(property, types), // an indexer's name never appears in the text
        _ => false,
    };

    private static bool HasContract(ISymbol symbol, FoliosTypes types)
    {
        foreach (var contract in ContractAttributes(types))
        {
            if (FoliosTypes.HasAttribute(symbol, contract))
                return true;
        }
        return false;
    }

    /// <summary>The attributes that make a member an entry point, for both readings.</summary>
    private static INamedTypeSymbol?[] ContractAttributes(FoliosTypes types) =>
        [types.MapsPagesAttribute, types.UnmapsPagesAttribute, types.RawPageAccessAttribute, types.PageOrderAttribute, types.AllocationSizeAttribute];

    /// <summary>
    /// The same questions asked of the metadata tables: which methods, parameters and properties carry a contract
    /// attribute (one pass over the custom attributes), and which methods take AllocFlags (their signatures).
    /// </summary>
    private sealed class MetadataRuntime(MetadataReader reader, FoliosTypes types)
    {
        public void Read(List<INamedTypeSymbol> holders, RuntimeNames names)
        {
            var wanted = new HashSet<string>(StringComparer.Ordinal);
            foreach (var type in holders)
                wanted.Add(type.MetadataName);
            var contractNames = new HashSet<string>(StringComparer.Ordinal);
            foreach (var contract in ContractAttributes(types))
            {
                if (contract is not null)
                    contractNames.Add(contract.MetadataName);
            }
            var contracts = new bool[reader.GetTableRowCount(TableIndex.TypeDef) + 1];
            var found = new List<(TypeDefinition Type, bool IsExtentBuffer)>();
            TypeDefinitionHandle allocFlags = default;
            foreach (var handle in reader.TypeDefinitions)
            {
                var type = reader.GetTypeDefinition(handle);
                if (!type.GetDeclaringType().IsNil || !reader.StringComparer.Equals(type.Namespace, FoliosNames.Namespace))
                    continue;
                string name = reader.GetString(type.Name);
                contracts[MetadataTokens.GetRowNumber(handle)] = contractNames.Contains(name);
                if (name == types.AllocFlags?.MetadataName)
                    allocFlags = handle;
                if (wanted.Contains(name))
                    found.Add((type, name == FoliosNames.ExtentBuffer));
            }
            var marked = MarkedByContracts(contracts);
            var takesFlags = new TakesFlags(allocFlags);
            foreach (var (type, isExtentBuffer) in found)
            {
                foreach (var handle in type.GetMethods())
                {
                    var method = reader.GetMethodDefinition(handle);
                    if ((method.Attributes & System.Reflection.MethodAttributes.MemberAccessMask) != System.Reflection.MethodAttributes.Public)
                        continue;
                    bool isEntryPoint = marked.Methods[MetadataTokens.GetRowNumber(handle)];
                    bool isOffsetHelper = false;
                    foreach (var parameterHandle in method.GetParameters())
                    {
                        var parameter = reader.GetParameter(parameterHandle);
                        if (parameter.SequenceNumber == 0)
                            continue; // the return value's attributes, which the symbols do not count
                        isEntryPoint |= marked.Parameters[MetadataTokens.GetRowNumber(parameterHandle)];
                        isOffsetHelper |= isExtentBuffer && PageGeometry.IsOffsetParameter(reader.GetString(parameter.Name));
                    }
                    if (!isEntryPoint && !allocFlags.IsNil)
                        isEntryPoint = method.DecodeSignature(takesFlags, null).ParameterTypes.Contains(TakesFlags.AllocFlags);
                    names.Add(reader.GetString(method.Name), isEntryPoint, isOffsetHelper);
                }
                foreach (var handle in type.GetProperties())
                {
                    var property = reader.GetPropertyDefinition(handle);
                    if (marked.Properties[MetadataTokens.GetRowNumber(handle)] && IsPublic(property) && !IsIndexer(property))
                        names.Add(reader.GetString(property.Name), isEntryPoint: true, isOffsetHelper: false);
                }
            }
        }

        /// <summary>The methods, parameters and properties that carry a contract attribute, by row.</summary>
        private Marked MarkedByContracts(bool[] contracts)
        {
            var marked = new Marked(
                new bool[reader.GetTableRowCount(TableIndex.MethodDef) + 1],
                new bool[reader.GetTableRowCount(TableIndex.Param) + 1],
                new bool[reader.GetTableRowCount(TableIndex.Property) + 1]);
            foreach (var handle in reader.CustomAttributes)
            {
                var attribute = reader.GetCustomAttribute(handle);
                if (attribute.Constructor.Kind != HandleKind.MethodDefinition
                    || !contracts[MetadataTokens.GetRowNumber(reader.GetMethodDefinition((MethodDefinitionHandle)attribute.Constructor).GetDeclaringType())])
                    continue;
                var rows = attribute.Parent.Kind switch
                {
                    HandleKind.MethodDefinition => marked.Methods,
                    HandleKind.Parameter => marked.Parameters,
                    HandleKind.PropertyDefinition => marked.Properties,
                    _ => null,
                };
                if (rows is not null)
                    rows[MetadataTokens.GetRowNumber(attribute.Parent)] = true;
            }
            return marked;
        }

        private sealed class Marked(bool[] methods, bool[] parameters, bool[] properties)
        {
            public bool[] Methods { get; } = methods;

            public bool[] Parameters { get; } = parameters;

            public bool[] Properties { get; } = properties;
        }

        /// <summary>A property is public as its symbol says: the more accessible of its accessors.</summary>
        private bool IsPublic(PropertyDefinition property)
        {
            var accessors = property.GetAccessors();
            return IsPublic(accessors.Getter) || IsPublic(accessors.Setter);
        }

        private bool IsIndexer(PropertyDefinition property)
        {
            var signature = reader.GetBlobReader(property.Signature);
            signature.ReadSignatureHeader();
            return signature.ReadCompressedInteger() > 0;
        }

        private bool IsPublic(MethodDefinitionHandle accessor) =>
            !accessor.IsNil && (reader.GetMethodDefinition(accessor).Attributes & System.Reflection.MethodAttributes.MemberAccessMask) == System.Reflection.MethodAttributes.Public;
    }

    /// <summary>
    /// Decodes a signature into <see cref="AllocFlags"/> where a type is AllocFlags and null elsewhere: a reference type,
    /// so that the decoder runs the runtime's shared generic code instead of a new instantiation to compile.
    /// </summary>
    private sealed class TakesFlags(TypeDefinitionHandle allocFlags) : ISignatureTypeProvider<object?, object?>
    {
        public static readonly object AllocFlags = new();

        public object? GetTypeFromDefinition(MetadataReader reader, TypeDefinitionHandle handle, byte rawTypeKind) => handle == allocFlags ? AllocFlags : null;
        public object? GetTypeFromReference(MetadataReader reader, TypeReferenceHandle handle, byte rawTypeKind) => null;
        public object? GetTypeFromSpecification(MetadataReader reader, object? genericContext, TypeSpecificationHandle handle, byte rawTypeKind) => null;
        public object? GetPrimitiveType(PrimitiveTypeCode typeCode) => null;
        public object? GetSZArrayType(object? elementType) => null;
        public object? GetArrayType(object? elementType, ArrayShape shape) => null;
        public object? GetByReferenceType(object? elementType) => elementType; // ref, in and out AllocFlags: the symbol's type is AllocFlags
        public object? GetPointerType(object? elementType) => null;
        public object? GetGenericInstantiation(object? genericType, ImmutableArray<object?> typeArguments) => null;
        public object? GetGenericMethodParameter(object? genericContext, int index) => null;
        public object? GetGenericTypeParameter(object? genericContext, int index) => null;
        public object? GetFunctionPointerType(MethodSignature<object?> signature) => null;
        public object? GetModifiedType(object? modifier, object? unmodifiedType, bool isRequired) => unmodifiedType;
        public object? GetPinnedType(object? elementType) => null;
    }
}
