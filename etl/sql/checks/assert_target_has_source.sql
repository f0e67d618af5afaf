-- every target states its source and is a percentage
select *
from ref_target
where source is null
    or trim(source) = ''
    or value_pct is null
    or value_pct < 0
    or value_pct > 100
