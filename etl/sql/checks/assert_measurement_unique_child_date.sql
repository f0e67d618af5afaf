-- natural key of a measurement: one row per child per date
select child_key, measured_on, count(*) from fct_measurement group by all having count(*) > 1
