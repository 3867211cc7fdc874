namespace Folios;

/// <summary>The mutable state of one allocator's fault injection; callers hold the allocator lock.</summary>
internal sealed class FaultInjector
{
    private readonly FailPageAlloc _settings;
    private readonly Random _random;
    private int _timesLeft;
    private int _spaceLeft;
    private long _eligibleCount;

    public FaultInjector(FailPageAlloc settings)
    {
        _settings = settings;
        _random = new Random(settings.Seed);
        _timesLeft = settings.Times;
        _spaceLeft = settings.Space;
    }

    public bool ShouldFail(int order, AllocFlags flags)
    {
        if (order < _settings.MinOrder || (flags & AllocFlags.NoFail) != 0)
            return false;
        if (_settings.IgnoreNoWait && (flags & AllocFlags.NoWait) != 0)
            return false;
        if (_settings.Probability == 0 || _timesLeft == 0)
            return false;

        int pages = 1 << order;
        if (_spaceLeft > pages)
        {
            _spaceLeft -= pages;
            return false;
        }

        if (_settings.Interval > 1 && ++_eligibleCount % _settings.Interval != 0)
            return false;
        if (_settings.Probability < 100 && _random.Next(100) >= _settings.Probability)
            return false;

        if (_timesLeft > 0)
            _timesLeft--;
        return true;
    }
}
