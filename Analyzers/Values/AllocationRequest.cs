using Folios.Analyzers.Engine;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace Folios.Analyzers.Values;

/// <summary>What an allocation call asks for, as far as the compiler can fold it: the order, the flags, the policy.</summary>
internal sealed class AllocationRequest
{
    public const long PagesPolicy = 0;
    public const long SingleFolioPolicy = 1;

    private AllocationRequest()
    {
    }

    /// <summary>The order (from a [PageOrder] order or an [AllocationSize] size), or null when there is none to fold.</summary>
    public int? Order { get; private set; }

    /// <summary>The folded AllocFlags argument, or null when the call has none or it may have more than one value.</summary>
    public long? Flags => PossibleFlags is { Count: 1 } single ? single.First() : null;

    /// <summary>
    /// Every value the AllocFlags argument may have (<see cref="FlagFlow.ValuesOf"/>: both branches of a conditional,
    /// every arm of a switch expression, locals assigned once), or null when the call has none or a part is unknown.
    /// </summary>
    public HashSet<long>? PossibleFlags { get; private set; }

    /// <summary>Whether the flags carry <paramref name="flag"/> on every path (false when they are unknown).</summary>
    public bool AlwaysHas(long flag) => PossibleFlags is { Count: > 0 } values && values.All(value => (value & flag) != 0);

    /// <summary>Whether the flags lack <paramref name="flag"/> on every path (false when they are unknown).</summary>
    public bool NeverHas(long flag) => PossibleFlags is { } values && values.All(value => (value & flag) == 0);

    /// <summary>Whether the flags lack <paramref name="flag"/> on some path (false when they are unknown).</summary>
    public bool SometimesLacks(long flag) => PossibleFlags is { } values && values.Any(value => (value & flag) == 0);

    /// <summary>Whether the call takes an AllocationPolicy (an ExtentBuffer), and its folded value if it does.</summary>
    public bool HasPolicy { get; private set; }

    public long? Policy { get; private set; }

    public static AllocationRequest Read(IInvocationOperation invocation, FoliosTypes types, FoliosOptions options)
    {
        var request = new AllocationRequest();
        foreach (var argument in invocation.Arguments)
        {
            var parameter = argument.Parameter;
            if (parameter is null)
                continue;
            if (SymbolEqualityComparer.Default.Equals(parameter.Type, types.AllocFlags))
                request.PossibleFlags = ValuesOf(argument.Value, depth: 0);
            else if (SymbolEqualityComparer.Default.Equals(parameter.Type, types.AllocationPolicy))
                (request.HasPolicy, request.Policy) = (true, ConstantValues.TryGetInt64(argument.Value, out long policy) ? policy : null);
            else if (FoliosTypes.HasAttribute(parameter, types.PageOrderAttribute))
                request.Order = Orders.TryGetOrder(argument.Value, types, options, out int order) ? order : null;
            else if (FoliosTypes.HasAttribute(parameter, types.AllocationSizeAttribute) && ConstantValues.TryGetInt64(argument.Value, out long bytes) && bytes > 0)
                request.Order = options.OrderForSize(bytes);
        }
        return request;
    }

    /// <summary>The values of a flags expression, its locals followed to their one assignment (a local written more than once is unknown here).</summary>
    private static HashSet<long>? ValuesOf(IOperation flags, int depth) =>
        FlagFlow.ValuesOf(flags, leaf => depth < 8 && leaf is ILocalReferenceOperation local && ConstantValues.SingleAssignedValue(local) is { } assigned ? ValuesOf(assigned, depth + 1) : null);
}
