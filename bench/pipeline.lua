-- wrk script: pipelined requests, -- DEPTH per write (16 by default, as
-- TechEmpower's plaintext test). wrk counts each response.
--   wrk -t1 -c100 -d10s -s pipeline.lua http://127.0.0.1:18081/ -- 16
init = function(args)
  local depth = tonumber(args[1]) or 16
  local r = {}
  for i = 1, depth do
    r[i] = wrk.format()
  end
  req = table.concat(r)
end

request = function()
  return req
end
